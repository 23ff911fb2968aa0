#pragma once
// DirectoryStore on SQLite: the enterprise directory (departments, members, department admins).
// Removing a department promotes its sub-departments to the top level and drops its
// memberships; removing an account drops its memberships (see migrations.cpp).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "gateway/api/stores.hpp"

namespace parley::storage {

class SqliteDirectoryStore final : public api::DirectoryStore {
 public:
  explicit SqliteDirectoryStore(SQLite::Database& db);

  // false: the name exists, the parent is unknown, or the parent is the department itself.
  bool create_department(const api::Department& department) override;
  bool remove_department(const std::string& name) override;
  std::optional<api::Department> department(const std::string& name) override;
  std::vector<api::Department> departments() override;  // sorted by name
  // false: unknown department or unknown account. Adding an existing member updates `admin`.
  bool add_member(const std::string& department, const api::DepartmentMember& member) override;
  bool remove_member(const std::string& department, const model::Address& user) override;
  std::vector<api::DepartmentMember> members(const std::string& department) override;  // sorted
  std::vector<std::string> departments_of(const model::Address& user) override;        // sorted

 private:
  SQLite::Statement department_exists_;
  SQLite::Statement insert_department_;
  SQLite::Statement delete_department_;
  SQLite::Statement select_department_;
  SQLite::Statement select_departments_;
  SQLite::Statement upsert_member_;
  SQLite::Statement delete_member_;
  SQLite::Statement select_members_;
  SQLite::Statement select_departments_of_;
};

}  // namespace parley::storage
