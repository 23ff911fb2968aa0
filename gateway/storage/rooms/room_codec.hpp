#pragma once
// Column encodings of the room tables: JSON arrays for keywords and message extensions (built
// with nlohmann, never by concatenation), enum names, and the FTS5 query built from plain
// words. Decoding fails loudly (std::runtime_error) on rows this binary cannot read: a store
// job then rolls back and reports, instead of handing out half-read rows.
#include <string>
#include <string_view>
#include <vector>

#include "mapping/model/address.hpp"
#include "mapping/model/payload.hpp"
#include "mapping/model/room.hpp"

namespace parley::storage {

std::string keywords_to_json(const std::vector<std::string>& keywords);
std::vector<std::string> keywords_from_json(std::string_view json);

std::string extensions_to_json(const std::vector<model::ForeignPayload>& extensions);
std::vector<model::ForeignPayload> extensions_from_json(std::string_view json);

model::RoomType room_type_column(std::string_view name);
model::RoomPrivacy room_privacy_column(std::string_view name);
model::RoomRole room_role_column(std::string_view name);
model::Address address_column(std::string_view text);

// FTS5 MATCH expression: each word as a quoted string (inner quotes doubled), implicitly
// AND-ed (FTS5 §3.2 "strings"). Words are split on whitespace. Empty when there are none.
std::string fts_query(const std::vector<std::string>& words);

// A LIKE pattern matching `text` as a substring, with %, _ and the escape character '\'
// escaped (use with ESCAPE '\').
std::string like_substring(std::string_view text);

}  // namespace parley::storage
