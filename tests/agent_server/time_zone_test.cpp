// The agent's clock: IANA zones read from the system's TZif files (tzdata), daylight
// saving time at its transitions, the POSIX rule past the file's last transition.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "time_zone.hpp"

using agent_server::days_from_civil;
using agent_server::find_time_zone;
using agent_server::is_valid_zone_name;
using agent_server::local_time;
using agent_server::LocalTime;

namespace {

std::chrono::system_clock::time_point utc(int y, int mo, int d, int hh, int mm, int ss = 0) {
  std::int64_t seconds = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

LocalTime local(int y, int mo, int d, int weekday, int hh, int mm) {
  return LocalTime{y, mo, d, weekday, hh * 60 + mm};
}

}  // namespace

TEST_CASE("time zone: civil dates") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(agent_server::local_time_at(0, 0) == local(1970, 1, 1, 3, 0, 0));  // a Thursday
  CHECK(agent_server::local_time_at(-1, 0) == local(1969, 12, 31, 2, 23, 59));
}

TEST_CASE("time zone: Europe/Paris, winter, summer and the changes") {
  REQUIRE(find_time_zone("Europe/Paris"));
  // Tuesday 1 December 2026, 23:00 in Paris (UTC+1).
  CHECK(local_time("Europe/Paris", utc(2026, 12, 1, 22, 0)) == local(2026, 12, 1, 1, 23, 0));
  CHECK(local_time("Europe/Paris", utc(2026, 7, 14, 10, 0)) == local(2026, 7, 14, 1, 12, 0));  // UTC+2
  // Spring forward on 29 March 2026 at 01:00 UTC: 01:59 then 03:00.
  CHECK(local_time("Europe/Paris", utc(2026, 3, 29, 0, 59)) == local(2026, 3, 29, 6, 1, 59));
  CHECK(local_time("Europe/Paris", utc(2026, 3, 29, 1, 0)) == local(2026, 3, 29, 6, 3, 0));
  // Fall back on 25 October 2026 at 01:00 UTC: 02:59 then 02:00.
  CHECK(local_time("Europe/Paris", utc(2026, 10, 25, 0, 59)) == local(2026, 10, 25, 6, 2, 59));
  CHECK(local_time("Europe/Paris", utc(2026, 10, 25, 1, 0)) == local(2026, 10, 25, 6, 2, 0));
  // Past the file's transitions (2037): the POSIX rule of its footer.
  CHECK(local_time("Europe/Paris", utc(2045, 7, 1, 10, 0))->minute == 12 * 60);
  CHECK(local_time("Europe/Paris", utc(2045, 1, 10, 10, 0))->minute == 11 * 60);
}

TEST_CASE("time zone: other hemispheres and offsets") {
  CHECK(local_time("America/New_York", utc(2026, 7, 4, 16, 0)) == local(2026, 7, 4, 5, 12, 0));
  CHECK(local_time("America/New_York", utc(2026, 1, 1, 3, 0)) == local(2025, 12, 31, 2, 22, 0));
  CHECK(local_time("Australia/Sydney", utc(2026, 1, 15, 0, 0))->minute == 11 * 60);  // summer: +11
  CHECK(local_time("Australia/Sydney", utc(2026, 7, 15, 0, 0))->minute == 10 * 60);
  CHECK(local_time("Australia/Sydney", utc(2050, 1, 15, 0, 0))->minute == 11 * 60);  // the rule
  CHECK(local_time("Australia/Sydney", utc(2050, 7, 15, 0, 0))->minute == 10 * 60);
  CHECK(local_time("Asia/Kolkata", utc(2026, 5, 1, 0, 0))->minute == 5 * 60 + 30);
  CHECK(local_time("UTC", utc(2026, 5, 1, 8, 15))->minute == 8 * 60 + 15);
}

TEST_CASE("time zone: names") {
  for (const char* good : {"Europe/Paris", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5"}) {
    CHECK(is_valid_zone_name(good));
    CHECK(find_time_zone(good));
  }
  for (const char* bad : {"", "/etc/passwd", "../../etc/passwd", "Europe/../../etc/passwd", "Europe//Paris",
                          "Europe/Paris/", "Europe/Par is", "Europe/Paris\n", "posixrules", "localtime"}) {
    CHECK_FALSE(is_valid_zone_name(bad));
    CHECK_FALSE(find_time_zone(bad));
  }
  CHECK(is_valid_zone_name("Mars/Olympus"));
  CHECK_FALSE(find_time_zone("Mars/Olympus"));  // no such file
  CHECK_FALSE(find_time_zone("Europe"));        // a folder
  CHECK_FALSE(local_time("Mars/Olympus", std::chrono::system_clock::now()));
}

TEST_CASE("time zone: not a TZif file") {
  CHECK_FALSE(agent_server::TimeZone::parse(""));
  CHECK_FALSE(agent_server::TimeZone::parse("TZif2 and then nothing"));
  CHECK_FALSE(agent_server::TimeZone::parse(std::string(200, 'x')));
}

TEST_CASE("time zone: many threads ask at once") {
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 200; ++k) {
        if (local_time("Asia/Tokyo", utc(2026, 6, 1, 0, 0))->minute == 9 * 60) ++right;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(right == 8 * 200);
}
