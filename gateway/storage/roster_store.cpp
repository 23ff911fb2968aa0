#include "gateway/storage/roster_store.hpp"

#include <map>
#include <stdexcept>

#include "gateway/log/log.hpp"
#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {
namespace {

// Columns: contact, name, state, approved. nullopt (with a warning) for a row that no longer
// parses, so one bad row does not make the whole roster unreadable.
std::optional<model::RosterItem> read_item(SQLite::Statement& statement) {
  auto jid = model::Address::parse(statement.getColumn(0).getString());
  auto state = model::state_from_name(statement.getColumn(2).getString());
  if (!jid || !state) {
    PARLEY_LOG_WARN("storage", "", "bad_roster_row",
                    {{"contact", statement.getColumn(0).getString()},
                     {"state", statement.getColumn(2).getString()}});
    return std::nullopt;
  }
  model::RosterItem item;
  item.jid = std::move(jid).value();
  item.name = statement.getColumn(1).getString();
  item.state = *state;
  item.approved = statement.getColumn(3).getInt() != 0;
  return item;
}

}  // namespace

SqliteRosterStore::SqliteRosterStore(SQLite::Database& db)
    : db_(db),
      select_items_(db,
                    "SELECT contact, name, state, approved FROM roster_items WHERE user = ?1"
                    " ORDER BY contact"),
      select_groups_(db,
                     "SELECT contact, group_name FROM roster_groups WHERE user = ?1"
                     " ORDER BY contact, position"),
      select_item_(db,
                   "SELECT contact, name, state, approved FROM roster_items"
                   " WHERE user = ?1 AND contact = ?2"),
      select_item_groups_(db,
                          "SELECT group_name FROM roster_groups WHERE user = ?1 AND contact = ?2"
                          " ORDER BY position"),
      select_version_(db, "SELECT version FROM roster_versions WHERE user = ?1"),
      upsert_item_(db,
                   "INSERT INTO roster_items (user, contact, name, state, approved)"
                   " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user, contact) DO UPDATE SET"
                   " name = excluded.name, state = excluded.state, approved = excluded.approved"),
      delete_groups_(db, "DELETE FROM roster_groups WHERE user = ?1 AND contact = ?2"),
      insert_group_(db,
                    "INSERT INTO roster_groups (user, contact, position, group_name)"
                    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING"),
      delete_item_(db, "DELETE FROM roster_items WHERE user = ?1 AND contact = ?2"),
      bump_version_(db,
                    "INSERT INTO roster_versions (user, version) VALUES (?1, 1)"
                    " ON CONFLICT (user) DO UPDATE SET version = version + 1"
                    " RETURNING version") {}

std::vector<model::RosterItem> SqliteRosterStore::items(const model::Address& user) {
  const std::string key = user.bare_string();
  std::map<std::string, std::vector<std::string>> groups;
  {
    ScopedStatement statement(select_groups_);
    statement->bind(1, key);
    while (statement->executeStep()) {
      groups[statement->getColumn(0).getString()].push_back(statement->getColumn(1).getString());
    }
  }
  std::vector<model::RosterItem> result;
  ScopedStatement statement(select_items_);
  statement->bind(1, key);
  while (statement->executeStep()) {
    auto item = read_item(*statement);
    if (!item) continue;
    if (auto it = groups.find(statement->getColumn(0).getString()); it != groups.end()) {
      item->groups = std::move(it->second);
    }
    result.push_back(std::move(*item));
  }
  return result;
}

std::optional<model::RosterItem> SqliteRosterStore::item(const model::Address& user,
                                                         const model::Address& contact) {
  const std::string key = user.bare_string();
  const std::string contact_key = contact.to_string();
  std::optional<model::RosterItem> result;
  {
    ScopedStatement statement(select_item_);
    statement->bind(1, key);
    statement->bind(2, contact_key);
    if (!statement->executeStep()) return std::nullopt;
    result = read_item(*statement);
  }
  if (!result) return std::nullopt;
  ScopedStatement statement(select_item_groups_);
  statement->bind(1, key);
  statement->bind(2, contact_key);
  while (statement->executeStep()) result->groups.push_back(statement->getColumn(0).getString());
  return result;
}

std::uint64_t SqliteRosterStore::version(const model::Address& user) {
  ScopedStatement statement(select_version_);
  statement->bind(1, user.bare_string());
  if (!statement->executeStep()) return 0;
  return static_cast<std::uint64_t>(statement->getColumn(0).getInt64());
}

std::uint64_t SqliteRosterStore::put(const model::Address& user, const model::RosterItem& item) {
  const std::string key = user.bare_string();
  const std::string contact_key = item.jid.to_string();
  WriteScope scope(db_);
  {
    ScopedStatement statement(upsert_item_);
    statement->bind(1, key);
    statement->bind(2, contact_key);
    statement->bind(3, item.name);
    statement->bind(4, std::string(model::state_name(item.state)));
    statement->bind(5, item.approved ? 1 : 0);
    statement->exec();
  }
  {
    ScopedStatement statement(delete_groups_);
    statement->bind(1, key);
    statement->bind(2, contact_key);
    statement->exec();
  }
  int position = 0;
  for (const std::string& group : item.groups) {
    ScopedStatement statement(insert_group_);
    statement->bind(1, key);
    statement->bind(2, contact_key);
    statement->bind(3, position++);
    statement->bind(4, group);
    statement->exec();
  }
  const std::uint64_t version = bump_version(key);
  scope.commit();
  return version;
}

std::optional<std::uint64_t> SqliteRosterStore::remove(const model::Address& user,
                                                       const model::Address& contact) {
  const std::string key = user.bare_string();
  WriteScope scope(db_);
  {
    ScopedStatement statement(delete_item_);
    statement->bind(1, key);
    statement->bind(2, contact.to_string());
    if (statement->exec() == 0) return std::nullopt;  // the scope rolls back (nothing changed)
  }
  const std::uint64_t version = bump_version(key);
  scope.commit();
  return version;
}

std::uint64_t SqliteRosterStore::bump_version(const std::string& user) {
  ScopedStatement statement(bump_version_);
  statement->bind(1, user);
  if (!statement->executeStep()) throw std::logic_error("roster version upsert returned no row");
  const auto version = static_cast<std::uint64_t>(statement->getColumn(0).getInt64());
  // RETURNING: the statement must run to completion before the change is final.
  while (statement->executeStep()) {
  }
  return version;
}

}  // namespace parley::storage
