#pragma once
// ForeignPayload: content the unified model does not understand, carried opaquely so that
// routing between two endpoints of the same protocol loses nothing (RFC 6120 §8.4: unknown
// children pass through). Other protocols ignore payloads not of their own origin.
#include <string>

namespace parley::model {

enum class Protocol { xmpp, sip, websocket, irc, webhook };

struct ForeignPayload {
  Protocol origin = Protocol::xmpp;
  std::string ns;    // namespace / type tag in the origin protocol
  std::string name;  // element / field name in the origin protocol
  std::string data;  // the origin protocol's serialized form (for XMPP: the child element XML)
  friend bool operator==(const ForeignPayload&, const ForeignPayload&) = default;
};

}  // namespace parley::model
