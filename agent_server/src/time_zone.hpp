#pragma once
// An agent's clock: UTC instants turned into the local date and time of an IANA
// zone ("Europe/Paris"), read from the system's compiled zone files (TZif, Debian's
// tzdata in /usr/share/zoneinfo, or $TZDIR). C++17 has no time zone library, and
// setenv("TZ") + localtime_r would change the zone of every thread of the server:
// the file is parsed here instead, once per zone, and kept immutable.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agent_server {

/// A local date and time (no zone attached).
struct LocalTime {
  int year = 1970;
  int month = 1;    ///< 1..12
  int day = 1;      ///< 1..31
  int weekday = 3;  ///< 0 = Monday ... 6 = Sunday
  int minute = 0;   ///< minutes since local midnight, 0..1439

  friend bool operator==(const LocalTime& a, const LocalTime& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day && a.weekday == b.weekday &&
           a.minute == b.minute;
  }
};

/// One zone's rules: the transitions of its TZif file, then its POSIX TZ footer for
/// instants past the last one.
class TimeZone {
 public:
  /// Parses `s`, the bytes of a TZif file (versions 1 to 4); nullopt when it is not one.
  static std::optional<TimeZone> parse(std::string_view s);

  /// Seconds east of UTC in force at `utc_seconds` (since the Unix epoch).
  std::int64_t utc_offset(std::int64_t utc_seconds) const;

  struct Rule;  ///< the footer's yearly DST rule (defined in time_zone.cpp)

 private:
  std::vector<std::int64_t> transitions_;
  std::vector<std::int32_t> offsets_;  // the offset from each transition on
  std::int32_t initial_offset_ = 0;    // before the first transition
  std::shared_ptr<const Rule> rule_;   // null: keep the last offset
};

/// A syntactically sound IANA name: "Europe/Paris", "UTC", "America/Argentina/Buenos_Aires".
/// No leading '/', no "..", letters, digits and "_-+/" only, up to 64 bytes.
bool is_valid_zone_name(std::string_view name) noexcept;

/// The zone named `name`, read from $TZDIR or /usr/share/zoneinfo on first use and
/// cached (thread-safe); null when the name is not valid or no such zone file exists.
std::shared_ptr<const TimeZone> find_time_zone(std::string_view name);

/// The local date and time at `utc_seconds` for a given offset.
LocalTime local_time_at(std::int64_t utc_seconds, std::int64_t offset_seconds);

/// The local time of `now` in the zone `name`; nullopt when the zone is unknown.
std::optional<LocalTime> local_time(std::string_view zone_name, std::chrono::system_clock::time_point now);

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(int year, int month, int day) noexcept;

}  // namespace agent_server
