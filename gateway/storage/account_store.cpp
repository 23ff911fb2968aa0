#include "gateway/storage/account_store.hpp"

#include <algorithm>
#include <chrono>

#include "gateway/log/log.hpp"
#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {
namespace {

// Binds the eleven credential columns starting at parameter `first`.
void bind_credentials(SQLite::Statement& statement, int first, const api::Credentials& c) {
  int i = first;
  for (const api::ScramCredential* credential : {&c.sha1, &c.sha256}) {
    bind_blob(statement, i++, credential->salt);
    statement.bind(i++, static_cast<std::int64_t>(credential->iterations));
    bind_blob(statement, i++, credential->stored_key);
    bind_blob(statement, i++, credential->server_key);
  }
  // Schema v5: the SIP digest HA1s (RFC 3261 §22.4, RFC 8760), NULL when there is no realm.
  if (c.sip.realm.empty()) {
    for (int k = 0; k < 3; ++k) statement.bind(i++);
  } else {
    statement.bind(i++, c.sip.realm);
    statement.bind(i++, c.sip.ha1_md5);
    statement.bind(i++, c.sip.ha1_sha256);
  }
}

api::ScramCredential read_credential(SQLite::Statement& statement, int first) {
  api::ScramCredential credential;
  credential.salt = statement.getColumn(first).getString();
  credential.iterations = static_cast<std::uint32_t>(statement.getColumn(first + 1).getInt64());
  credential.stored_key = statement.getColumn(first + 2).getString();
  credential.server_key = statement.getColumn(first + 3).getString();
  return credential;
}

api::DigestCredential read_digest(SQLite::Statement& statement, int first) {
  api::DigestCredential digest;
  if (statement.getColumn(first).isNull()) return digest;
  digest.realm = statement.getColumn(first).getString();
  digest.ha1_md5 = statement.getColumn(first + 1).getString();
  digest.ha1_sha256 = statement.getColumn(first + 2).getString();
  return digest;
}

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SqliteAccountStore::SqliteAccountStore(SQLite::Database& db)
    : insert_(db,
              "INSERT INTO accounts (jid, created_at,"
              " scram_sha1_salt, scram_sha1_iterations, scram_sha1_stored_key,"
              " scram_sha1_server_key, scram_sha256_salt, scram_sha256_iterations,"
              " scram_sha256_stored_key, scram_sha256_server_key,"
              " sip_realm, sip_ha1_md5, sip_ha1_sha256)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
              " ON CONFLICT (jid) DO NOTHING"),
      delete_(db, "DELETE FROM accounts WHERE jid = ?1"),
      exists_(db, "SELECT 1 FROM accounts WHERE jid = ?1"),
      select_credentials_(db,
                          "SELECT scram_sha1_salt, scram_sha1_iterations, scram_sha1_stored_key,"
                          " scram_sha1_server_key, scram_sha256_salt, scram_sha256_iterations,"
                          " scram_sha256_stored_key, scram_sha256_server_key,"
                          " sip_realm, sip_ha1_md5, sip_ha1_sha256"
                          " FROM accounts WHERE jid = ?1"),
      update_credentials_(db,
                          "UPDATE accounts SET scram_sha1_salt = ?2, scram_sha1_iterations = ?3,"
                          " scram_sha1_stored_key = ?4, scram_sha1_server_key = ?5,"
                          " scram_sha256_salt = ?6, scram_sha256_iterations = ?7,"
                          " scram_sha256_stored_key = ?8, scram_sha256_server_key = ?9,"
                          " sip_realm = ?10, sip_ha1_md5 = ?11, sip_ha1_sha256 = ?12"
                          " WHERE jid = ?1"),
      list_(db, "SELECT jid FROM accounts") {}

bool SqliteAccountStore::create(const model::Address& bare, const api::Credentials& credentials) {
  ScopedStatement statement(insert_);
  statement->bind(1, bare.bare_string());
  statement->bind(2, unix_seconds_now());
  bind_credentials(*statement, 3, credentials);
  return statement->exec() == 1;
}

bool SqliteAccountStore::remove(const model::Address& bare) {
  ScopedStatement statement(delete_);
  statement->bind(1, bare.bare_string());
  return statement->exec() == 1;
}

bool SqliteAccountStore::exists(const model::Address& bare) {
  ScopedStatement statement(exists_);
  statement->bind(1, bare.bare_string());
  return statement->executeStep();
}

std::optional<api::Credentials> SqliteAccountStore::credentials(const model::Address& bare) {
  ScopedStatement statement(select_credentials_);
  statement->bind(1, bare.bare_string());
  if (!statement->executeStep()) return std::nullopt;
  return api::Credentials{read_credential(*statement, 0), read_credential(*statement, 4),
                          read_digest(*statement, 8)};
}

bool SqliteAccountStore::set_credentials(const model::Address& bare,
                                         const api::Credentials& credentials) {
  ScopedStatement statement(update_credentials_);
  statement->bind(1, bare.bare_string());
  bind_credentials(*statement, 2, credentials);
  return statement->exec() == 1;
}

std::vector<model::Address> SqliteAccountStore::list() {
  std::vector<model::Address> accounts;
  ScopedStatement statement(list_);
  while (statement->executeStep()) {
    auto address = model::Address::parse(statement->getColumn(0).getString());
    if (!address) {
      // Only possible if the file was edited by hand or stringprep changed: skip, but say so.
      PARLEY_LOG_WARN("storage", "", "bad_stored_address",
                      {{"table", "accounts"}, {"error", address.error()}});
      continue;
    }
    accounts.push_back(std::move(address).value());
  }
  // Sorted as the model orders addresses, which need not be the byte order of the strings.
  std::sort(accounts.begin(), accounts.end());
  return accounts;
}

}  // namespace parley::storage
