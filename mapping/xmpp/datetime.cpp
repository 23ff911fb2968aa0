#include "mapping/xmpp/datetime.hpp"

#include <chrono>
#include <cstdio>

namespace parley::mapping::xmpp {

namespace {

using namespace std::chrono;

// Reads exactly `digits` decimal digits at `pos`.
std::optional<int> read_number(std::string_view text, std::size_t& pos, std::size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<model::Timestamp> parse_datetime(std::string_view text) {
  std::size_t pos = 0;
  auto y = read_number(text, pos, 4);
  if (!y || !expect(text, pos, '-')) return std::nullopt;
  auto mo = read_number(text, pos, 2);
  if (!mo || !expect(text, pos, '-')) return std::nullopt;
  auto d = read_number(text, pos, 2);
  if (!d || !expect(text, pos, 'T')) return std::nullopt;
  auto h = read_number(text, pos, 2);
  if (!h || !expect(text, pos, ':')) return std::nullopt;
  auto mi = read_number(text, pos, 2);
  if (!mi || !expect(text, pos, ':')) return std::nullopt;
  auto s = read_number(text, pos, 2);
  if (!s) return std::nullopt;

  year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  // XEP-0082 §3.2 times; 60 admits a leap second.
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;

  nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    long long value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 9) value = value * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 9; ++i) value *= 10;
    fraction = nanoseconds{value};
  }

  minutes offset{0};
  if (expect(text, pos, 'Z')) {
    // UTC
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    auto oh = read_number(text, pos, 2);
    if (!oh || !expect(text, pos, ':')) return std::nullopt;
    auto om = read_number(text, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset = minutes{sign * (*oh * 60 + *om)};
  } else {
    return std::nullopt;  // XEP-0082 §3.2: the time zone is required
  }
  if (pos != text.size()) return std::nullopt;

  auto local = sys_days{date} + hours{*h} + minutes{*mi} + seconds{*s} + fraction;
  return time_point_cast<model::Timestamp::duration>(local - offset);
}

std::string format_datetime(model::Timestamp stamp) {
  auto ns = time_point_cast<nanoseconds>(stamp);
  auto days = floor<std::chrono::days>(ns);
  year_month_day date{days};
  hh_mm_ss time{ns - days};
  char buffer[48];
  int n = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d",
                        static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                        static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                        static_cast<int>(time.minutes().count()),
                        static_cast<int>(time.seconds().count()));
  std::string out(buffer, static_cast<std::size_t>(n));
  long long sub = time.subseconds().count();
  if (sub != 0) {
    if (sub % 1'000'000 == 0) {
      n = std::snprintf(buffer, sizeof buffer, ".%03lld", sub / 1'000'000);
    } else if (sub % 1'000 == 0) {
      n = std::snprintf(buffer, sizeof buffer, ".%06lld", sub / 1'000);
    } else {
      n = std::snprintf(buffer, sizeof buffer, ".%09lld", sub);
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
  out.push_back('Z');
  return out;
}

}  // namespace parley::mapping::xmpp
