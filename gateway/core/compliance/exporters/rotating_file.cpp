// RotatingFile: append + fsync, truncate on failure, crash recovery, rotation without overwrite.
#include "gateway/core/compliance/exporters/rotating_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>

#include "gateway/core/compliance/compliance_json.hpp"

namespace parley::core::compliance {
namespace {

std::string errno_text(std::string_view what, const std::filesystem::path& path, int error) {
  return std::string(what) + " " + path.string() + ": " + std::strerror(error);
}

// Makes a rename or a new file in `directory` durable (POSIX: the entry lives in the directory).
void sync_directory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// The length of `fd`'s content up to and including its last '\n' (0 when there is none): what
// remains of a file after a crash cut its last record short.
std::optional<std::uint64_t> whole_records_length(int fd, std::uint64_t size) {
  std::array<char, 8192> chunk{};
  std::uint64_t end = size;
  while (end > 0) {
    const std::uint64_t start = end > chunk.size() ? end - chunk.size() : 0;
    const auto length = static_cast<std::size_t>(end - start);
    const ssize_t got = ::pread(fd, chunk.data(), length, static_cast<off_t>(start));
    if (got != static_cast<ssize_t>(length)) return std::nullopt;
    for (std::size_t i = length; i > 0; --i) {
      if (chunk[i - 1] == '\n') return start + i;
    }
    end = start;
  }
  return 0;
}

bool ends_with(int fd, std::uint64_t size, std::string_view suffix) {
  if (suffix.empty() || size < suffix.size()) return false;
  std::string tail(suffix.size(), '\0');
  const ssize_t got =
      ::pread(fd, tail.data(), tail.size(), static_cast<off_t>(size - suffix.size()));
  return got == static_cast<ssize_t>(tail.size()) && tail == suffix;
}

}  // namespace

RotatingFile::RotatingFile(RotatingFileOptions options, ComplianceClock clock)
    : options_(std::move(options)), clock_(std::move(clock)) {}

RotatingFile::~RotatingFile() {
  close_fd();
}

std::filesystem::path RotatingFile::active_path() const {
  return options_.directory / (options_.prefix + "." + options_.extension);
}

void RotatingFile::close_fd() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  size_ = 0;
}

std::optional<std::string> RotatingFile::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_text("cannot write", active_path(), errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    size_ += static_cast<std::uint64_t>(n);
  }
  return std::nullopt;
}

std::optional<std::string> RotatingFile::open_active() {
  std::error_code ec;
  std::filesystem::create_directories(options_.directory, ec);
  if (ec) return "cannot create " + options_.directory.string() + ": " + ec.message();
  const auto path = active_path();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd_ < 0) return errno_text("cannot open", path, errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int error = errno;
    close_fd();
    return errno_text("cannot stat", path, error);
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  opened_at_ = clock_();
  if (size_ == 0 && !options_.header.empty()) {
    // Made durable with the first records' fsync; a crash before that leaves a file holding
    // only (part of) the header, which recovery handles like any other partial record.
    if (auto error = write_all(options_.header)) {
      ::ftruncate(fd_, 0);
      close_fd();
      return error;
    }
  }
  sync_directory(options_.directory);
  return std::nullopt;
}

std::optional<std::string> RotatingFile::recover_existing() {
  const auto path = active_path();
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;  // a clean start
    return errno_text("cannot open", path, errno);
  }
  struct stat st {};
  std::optional<std::string> error;
  if (::fstat(fd, &st) != 0) {
    error = errno_text("cannot stat", path, errno);
  } else {
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const auto whole = whole_records_length(fd, size);
    if (!whole) {
      error = errno_text("cannot read", path, errno);
    } else if (*whole != size && ::ftruncate(fd, static_cast<off_t>(*whole)) != 0) {
      error = errno_text("cannot truncate", path, errno);
    }
  }
  ::close(fd);
  if (error) return error;
  // Whatever an earlier run left is finished now, so a restart never appends to a file
  // another process (or a crash) may have left in any state; the rotation adds the footer.
  std::error_code ec;
  if (std::filesystem::file_size(path, ec) == 0 && !ec) {
    std::filesystem::remove(path, ec);
    return std::nullopt;
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) return errno_text("cannot open", path, errno);
  struct stat now {};
  ::fstat(fd_, &now);
  size_ = static_cast<std::uint64_t>(now.st_size);
  return rotate();
}

std::optional<std::string> RotatingFile::rotate() {
  const auto active = active_path();
  if (!options_.footer.empty()) {
    // A file already ending with the footer got it before a crash interrupted the rename.
    const int read_fd = ::open(active.c_str(), O_RDONLY | O_CLOEXEC);
    const bool has_footer = read_fd >= 0 && ends_with(read_fd, size_, options_.footer);
    if (read_fd >= 0) ::close(read_fd);
    if (!has_footer) {
      if (auto error = write_all(options_.footer)) return error;
    }
  }
  if (::fsync(fd_) != 0) return errno_text("cannot fsync", active, errno);
  close_fd();
  const std::string stamp = compact_utc(clock_());
  for (int n = 1; n < 1000000; ++n) {
    std::array<char, 16> seq{};
    std::snprintf(seq.data(), seq.size(), "%06d", n);
    const auto target = options_.directory / (options_.prefix + "-" + stamp + "-" + seq.data() +
                                              "." + options_.extension);
    // link() fails with EEXIST instead of replacing: a rotated file is never overwritten.
    if (::link(active.c_str(), target.c_str()) == 0) {
      if (::unlink(active.c_str()) != 0) return errno_text("cannot unlink", active, errno);
      sync_directory(options_.directory);
      ++rotations_;
      return std::nullopt;
    }
    if (errno != EEXIST) return errno_text("cannot link", target, errno);
  }
  return "no free rotation name for " + active.string();
}

std::optional<std::string> RotatingFile::append(std::string_view records) {
  if (!recovered_) {
    if (auto error = recover_existing()) {
      close_fd();
      return error;
    }
    recovered_ = true;
  }
  if (fd_ < 0) {
    if (auto error = open_active()) return error;
  }
  const bool has_records = size_ > options_.header.size();
  const bool too_big = options_.rotate_bytes > 0 && size_ + records.size() > options_.rotate_bytes;
  const bool too_old =
      options_.rotate_age.count() > 0 && clock_() - opened_at_ >= options_.rotate_age;
  if (has_records && (too_big || too_old)) {
    if (auto error = rotate()) {
      // Start over from whatever is on disk at the next attempt.
      close_fd();
      recovered_ = false;
      return error;
    }
    if (auto error = open_active()) return error;
  }
  const std::uint64_t before = size_;
  auto error = write_all(records);
  if (!error && ::fsync(fd_) != 0) error = errno_text("cannot fsync", active_path(), errno);
  if (error) {
    // Nothing of a failed batch may stay: it is offered again and would then appear twice,
    // once cut short.
    if (::ftruncate(fd_, static_cast<off_t>(before)) == 0) {
      size_ = before;
    } else {
      close_fd();
      recovered_ = false;
    }
    return error;
  }
  return std::nullopt;
}

}  // namespace parley::core::compliance
