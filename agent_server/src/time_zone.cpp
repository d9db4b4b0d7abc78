#include "time_zone.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace agent_server {

// ---- Civil dates ------------------------------------------------------------------
// Howard Hinnant's algorithms (public domain), exact for every Gregorian date.

std::int64_t days_from_civil(int year, int month, int day) noexcept {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

void civil_from_days(std::int64_t z, int& year, int& month, int& day) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// 0 = Sunday, as in POSIX TZ rules.
int sunday_weekday(std::int64_t days) { return static_cast<int>(((days % 7) + 7 + 4) % 7); }

}  // namespace

LocalTime local_time_at(std::int64_t utc_seconds, std::int64_t offset_seconds) {
  const std::int64_t local = utc_seconds + offset_seconds;
  const std::int64_t days = floor_div(local, 86400);
  LocalTime t;
  civil_from_days(days, t.year, t.month, t.day);
  t.weekday = (sunday_weekday(days) + 6) % 7;
  t.minute = static_cast<int>((local - days * 86400) / 60);
  return t;
}

// ---- The POSIX TZ footer ("CET-1CEST,M3.5.0,M10.5.0/3") ------------------------------

struct TimeZone::Rule {
  struct Date {
    int month = 0, week = 0, weekday = 0;  // Mm.w.d
    std::int64_t time = 7200;              // seconds after local midnight
  };
  std::int32_t std_offset = 0;  // seconds east of UTC
  std::int32_t dst_offset = 0;
  bool has_dst = false;
  Date start, end;

  std::int64_t day_of(int year, const Date& d) const {
    std::int64_t first = days_from_civil(year, d.month, 1);
    int day = 1 + (d.weekday - sunday_weekday(first) + 7) % 7 + (d.week - 1) * 7;
    while (day > days_in_month(year, d.month)) day -= 7;
    return first + day - 1;
  }

  std::int32_t offset_at(std::int64_t utc) const {
    if (!has_dst) return std_offset;
    int year = local_time_at(utc, std_offset).year;
    // The start is written in standard time, the end in daylight time.
    std::int64_t begin = day_of(year, start) * 86400 + start.time - std_offset;
    std::int64_t finish = day_of(year, end) * 86400 + end.time - dst_offset;
    bool dst = begin < finish ? (utc >= begin && utc < finish) : !(utc >= finish && utc < begin);
    return dst ? dst_offset : std_offset;
  }
};

namespace {

class TzReader {
 public:
  explicit TzReader(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  bool name() {
    if (eat('<')) {
      while (!done() && peek() != '>') ++i_;
      return eat('>');
    }
    std::size_t start = i_;
    while (std::isalpha(static_cast<unsigned char>(peek()))) ++i_;
    return i_ - start >= 3;
  }
  // [+-]hh[:mm[:ss]] in seconds.
  std::optional<std::int64_t> duration() {
    int sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    std::int64_t total = 0;
    for (int part = 0; part < 3; ++part) {
      if (part > 0 && !eat(':')) break;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) return std::nullopt;
      std::int64_t n = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) n = n * 10 + (s_[i_++] - '0');
      total += n * (part == 0 ? 3600 : part == 1 ? 60 : 1);
    }
    return sign * total;
  }
  std::optional<int> number() {
    if (!std::isdigit(static_cast<unsigned char>(peek()))) return std::nullopt;
    int n = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) n = n * 10 + (s_[i_++] - '0');
    return n;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

// Only the Mm.w.d form: every zone of tzdata's footers uses it (Jn and n are not
// used by any), so another form makes the rule unreadable and the last offset stays.
std::optional<TimeZone::Rule::Date> read_date(TzReader& r) {
  TimeZone::Rule::Date d;
  if (!r.eat('M')) return std::nullopt;
  auto m = r.number();
  if (!m || !r.eat('.')) return std::nullopt;
  auto w = r.number();
  if (!w || !r.eat('.')) return std::nullopt;
  auto wd = r.number();
  if (!wd || *m < 1 || *m > 12 || *w < 1 || *w > 5 || *wd > 6) return std::nullopt;
  d.month = *m;
  d.week = *w;
  d.weekday = *wd;
  if (r.eat('/')) {
    auto t = r.duration();
    if (!t) return std::nullopt;
    d.time = *t;
  }
  return d;
}

}  // namespace

namespace {

std::optional<TimeZone::Rule> parse_rule(std::string_view text) {
  TzReader r(text);
  TimeZone::Rule rule;
  if (!r.name()) return std::nullopt;
  auto std_off = r.duration();
  if (!std_off) return std::nullopt;
  rule.std_offset = static_cast<std::int32_t>(-*std_off);  // POSIX counts west
  if (r.done()) return rule;
  if (!r.name()) return std::nullopt;
  rule.has_dst = true;
  rule.dst_offset = rule.std_offset + 3600;
  if (r.peek() != ',') {
    auto dst_off = r.duration();
    if (!dst_off) return std::nullopt;
    rule.dst_offset = static_cast<std::int32_t>(-*dst_off);
  }
  if (!r.eat(',')) return std::nullopt;
  auto start = read_date(r);
  if (!start || !r.eat(',')) return std::nullopt;
  auto end = read_date(r);
  if (!end || !r.done()) return std::nullopt;
  rule.start = *start;
  rule.end = *end;
  return rule;
}

std::int64_t be(std::string_view s, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

}  // namespace

std::optional<TimeZone> TimeZone::parse(std::string_view s) {
  constexpr std::size_t kHeader = 44;
  if (s.size() < kHeader || s.substr(0, 4) != "TZif") return std::nullopt;
  auto counts = [&](std::size_t at, std::int64_t c[6]) {
    for (int i = 0; i < 6; ++i) c[i] = be(s, at + 20 + 4 * i, 4);
  };
  std::int64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  auto block_size = [&](int time_bytes) {
    return c[3] * time_bytes + c[3] + c[4] * 6 + c[5] + c[2] * (time_bytes + 4) + c[1] + c[0];
  };
  std::size_t at = 0;
  int time_bytes = 4;
  if (s[4] >= '2') {  // skip the 32-bit block, read the 64-bit one
    at = kHeader + static_cast<std::size_t>(block_size(4));
    if (s.size() < at + kHeader || s.substr(at, 4) != "TZif") return std::nullopt;
    counts(at, c);
    time_bytes = 8;
  }
  for (auto n : c) {
    if (n < 0 || n > 100000) return std::nullopt;
  }
  std::size_t data = at + kHeader;
  std::size_t end = data + static_cast<std::size_t>(block_size(time_bytes));
  if (s.size() < end || c[4] < 1) return std::nullopt;

  TimeZone zone;
  const std::size_t times = data;
  const std::size_t indices = times + c[3] * time_bytes;
  const std::size_t types = indices + c[3];
  auto type_offset = [&](std::int64_t type) { return static_cast<std::int32_t>(be(s, types + 6 * type, 4)); };
  for (std::int64_t i = 0; i < c[3]; ++i) {
    auto type = static_cast<unsigned char>(s[indices + i]);
    if (type >= c[4]) return std::nullopt;
    zone.transitions_.push_back(be(s, times + i * time_bytes, time_bytes));
    zone.offsets_.push_back(type_offset(type));
  }
  zone.initial_offset_ = type_offset(0);
  if (time_bytes == 8 && end < s.size() && s[end] == '\n') {
    auto close = s.find('\n', end + 1);
    if (close != std::string_view::npos) {
      if (auto rule = parse_rule(s.substr(end + 1, close - end - 1))) {
        zone.rule_ = std::make_shared<const Rule>(*rule);
      }
    }
  }
  return zone;
}

std::int64_t TimeZone::utc_offset(std::int64_t utc) const {
  if (transitions_.empty() || utc < transitions_.front()) {
    if (transitions_.empty() && rule_) return rule_->offset_at(utc);
    return initial_offset_;
  }
  if (utc >= transitions_.back() && rule_) return rule_->offset_at(utc);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  return offsets_[static_cast<std::size_t>(it - transitions_.begin()) - 1];
}

bool is_valid_zone_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) return false;
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (!std::isalnum(c) && ch != '_' && ch != '-' && ch != '+' && ch != '/') return false;
  }
  // "posixrules", "Factory" and the like are files, not places.
  return name != "Factory" && name != "posixrules" && name != "localtime";
}

std::shared_ptr<const TimeZone> find_time_zone(std::string_view name) {
  if (!is_valid_zone_name(name)) return nullptr;
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) return it->second;

  static const std::string dir = [] {
    const char* env = std::getenv("TZDIR");
    return std::string(env != nullptr && *env != '\0' ? env : "/usr/share/zoneinfo");
  }();
  std::ifstream in(dir + "/" + std::string(name), std::ios::binary);
  std::shared_ptr<const TimeZone> zone;
  if (in) {
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (auto parsed = TimeZone::parse(bytes.str())) zone = std::make_shared<const TimeZone>(std::move(*parsed));
  }
  // Unknown names are cached too (as null): a bad name asked again costs no I/O.
  // Names are validated before they are stored, so the map stays small.
  if (cache.size() < 1024) cache.emplace(std::string(name), zone);
  return zone;
}

std::optional<LocalTime> local_time(std::string_view zone_name, std::chrono::system_clock::time_point now) {
  auto zone = find_time_zone(zone_name);
  if (!zone) return std::nullopt;
  const std::int64_t utc = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return local_time_at(utc, zone->utc_offset(utc));
}

}  // namespace agent_server
