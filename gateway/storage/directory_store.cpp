#include "gateway/storage/directory_store.hpp"

#include <algorithm>

#include "gateway/log/log.hpp"
#include "gateway/storage/sql_scope.hpp"

namespace parley::storage {
namespace {

api::Department read_department(SQLite::Statement& statement) {
  return api::Department{statement.getColumn(0).getString(), statement.getColumn(1).getString(),
                         statement.getColumn(2).getString()};
}

}  // namespace

SqliteDirectoryStore::SqliteDirectoryStore(SQLite::Database& db)
    : department_exists_(db, "SELECT 1 FROM departments WHERE name = ?1"),
      insert_department_(db,
                         "INSERT INTO departments (name, description, parent)"
                         " VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING"),
      delete_department_(db, "DELETE FROM departments WHERE name = ?1"),
      select_department_(db,
                         "SELECT name, description, coalesce(parent, '') FROM departments"
                         " WHERE name = ?1"),
      select_departments_(db,
                          "SELECT name, description, coalesce(parent, '') FROM departments"
                          " ORDER BY name"),
      // One statement checks both parents exist and inserts or updates: no FOREIGN KEY
      // exception for the expected "unknown department / account" case.
      upsert_member_(db,
                     "INSERT INTO department_members (department, user, admin)"
                     " SELECT ?1, ?2, ?3"
                     " WHERE EXISTS (SELECT 1 FROM departments WHERE name = ?1)"
                     " AND EXISTS (SELECT 1 FROM accounts WHERE jid = ?2)"
                     " ON CONFLICT (department, user) DO UPDATE SET admin = excluded.admin"),
      delete_member_(db, "DELETE FROM department_members WHERE department = ?1 AND user = ?2"),
      select_members_(db, "SELECT user, admin FROM department_members WHERE department = ?1"),
      select_departments_of_(db,
                             "SELECT department FROM department_members WHERE user = ?1"
                             " ORDER BY department") {}

bool SqliteDirectoryStore::create_department(const api::Department& department) {
  if (!department.parent.empty()) {
    if (department.parent == department.name) return false;
    ScopedStatement statement(department_exists_);
    statement->bind(1, department.parent);
    if (!statement->executeStep()) return false;
  }
  ScopedStatement statement(insert_department_);
  statement->bind(1, department.name);
  statement->bind(2, department.description);
  if (department.parent.empty()) {
    statement->bind(3);  // NULL: top level
  } else {
    statement->bind(3, department.parent);
  }
  return statement->exec() == 1;
}

bool SqliteDirectoryStore::remove_department(const std::string& name) {
  ScopedStatement statement(delete_department_);
  statement->bind(1, name);
  return statement->exec() == 1;
}

std::optional<api::Department> SqliteDirectoryStore::department(const std::string& name) {
  ScopedStatement statement(select_department_);
  statement->bind(1, name);
  if (!statement->executeStep()) return std::nullopt;
  return read_department(*statement);
}

std::vector<api::Department> SqliteDirectoryStore::departments() {
  std::vector<api::Department> result;
  ScopedStatement statement(select_departments_);
  while (statement->executeStep()) result.push_back(read_department(*statement));
  return result;
}

bool SqliteDirectoryStore::add_member(const std::string& department,
                                      const api::DepartmentMember& member) {
  ScopedStatement statement(upsert_member_);
  statement->bind(1, department);
  statement->bind(2, member.user.bare_string());
  statement->bind(3, member.admin ? 1 : 0);
  return statement->exec() == 1;
}

bool SqliteDirectoryStore::remove_member(const std::string& department,
                                         const model::Address& user) {
  ScopedStatement statement(delete_member_);
  statement->bind(1, department);
  statement->bind(2, user.bare_string());
  return statement->exec() == 1;
}

std::vector<api::DepartmentMember> SqliteDirectoryStore::members(const std::string& department) {
  std::vector<api::DepartmentMember> result;
  ScopedStatement statement(select_members_);
  statement->bind(1, department);
  while (statement->executeStep()) {
    auto user = model::Address::parse(statement->getColumn(0).getString());
    if (!user) {
      PARLEY_LOG_WARN("storage", "", "bad_stored_address",
                      {{"table", "department_members"}, {"error", user.error()}});
      continue;
    }
    result.push_back(
        api::DepartmentMember{std::move(user).value(), statement->getColumn(1).getInt() != 0});
  }
  std::sort(result.begin(), result.end(),
            [](const auto& a, const auto& b) { return a.user < b.user; });
  return result;
}

std::vector<std::string> SqliteDirectoryStore::departments_of(const model::Address& user) {
  std::vector<std::string> result;
  ScopedStatement statement(select_departments_of_);
  statement->bind(1, user.bare_string());
  while (statement->executeStep()) result.push_back(statement->getColumn(0).getString());
  return result;
}

}  // namespace parley::storage
