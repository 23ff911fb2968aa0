#pragma once
// RotatingFile: the durable file behind the JSONL and XML exporters. Records are appended to
// the active file "<prefix>.<ext>" and fsync'ed before append() returns success; the active file
// is rotated (renamed to "<prefix>-<YYYYMMDDTHHMMSSZ>-<NNNNNN>.<ext>", the first free sequence
// number: never overwriting a file) when the next write would pass rotate_bytes or the file is
// older than rotate_age. Every record ends with '\n'; a failed write is truncated away and a
// partial record left by a crash is cut off at start, so a file only ever holds whole records
// (the events of a failed or interrupted write are offered again: at-least-once).
// Not thread-safe: used by one exporter on the worker thread.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/compliance/exporters/exporter.hpp"

namespace parley::core::compliance {

struct RotatingFileOptions {
  std::filesystem::path directory;
  std::string prefix;
  std::string extension;               // without the dot: "jsonl"
  std::uint64_t rotate_bytes = 0;      // 0: never by size
  std::chrono::seconds rotate_age{0};  // 0: never by age
  // Framing around the records of each file (XML: the prolog and root start tag, and the root
  // end tag written just before the file is rotated). Each must end with '\n' when non-empty.
  std::string header;
  std::string footer;
};

class RotatingFile {
 public:
  RotatingFile(RotatingFileOptions options, ComplianceClock clock);
  ~RotatingFile();
  RotatingFile(const RotatingFile&) = delete;
  RotatingFile& operator=(const RotatingFile&) = delete;

  // Appends `records` (whole records, each ending in '\n') durably; nullopt on success, else
  // the error. On error nothing of `records` remains in the file.
  std::optional<std::string> append(std::string_view records);

  std::filesystem::path active_path() const;
  std::uint64_t rotations() const { return rotations_; }

 private:
  std::optional<std::string> open_active();
  std::optional<std::string> recover_existing();
  std::optional<std::string> rotate();
  std::optional<std::string> write_all(std::string_view bytes);
  void close_fd();

  RotatingFileOptions options_;
  ComplianceClock clock_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  model::Timestamp opened_at_{};
  bool recovered_ = false;  // the active file left by an earlier run was dealt with
  std::uint64_t rotations_ = 0;
};

}  // namespace parley::core::compliance
