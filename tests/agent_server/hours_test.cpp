// Opening hours against a fixed clock: open or not at each edge of each service, every
// day of a week, services past midnight, round the clock; until when, and the next opening.
#include <catch2/catch.hpp>

#include "restaurant_facts.hpp"
#include "restaurant_prompts.hpp"

using agent_server::is_open_at;
using agent_server::next_opening;
using agent_server::open_until;
using agent_server::read_restaurant_facts;
using agent_server::WeekMoment;

namespace {

constexpr int h(int hours, int minutes = 0) { return hours * 60 + minutes; }
enum Day { mon, tue, wed, thu, fri, sat, sun };

}  // namespace

TEST_CASE("hours: every day of a week at the edges of each service") {
  // Tuesday to Saturday 12h-14h30 and 19h-22h30; closed Sunday and Monday.
  const auto hours = read_restaurant_facts(restaurant_prompts::kPetitZinc).hours;
  for (int day = mon; day <= sun; ++day) {
    INFO("day " << day);
    const bool works = day >= tue && day <= sat;
    CHECK_FALSE(is_open_at(hours, day, h(0)));
    CHECK_FALSE(is_open_at(hours, day, h(11, 59)));
    CHECK(is_open_at(hours, day, h(12)) == works);  // the opening minute is open
    CHECK(is_open_at(hours, day, h(14, 29)) == works);
    CHECK_FALSE(is_open_at(hours, day, h(14, 30)));  // the closing minute is closed
    CHECK_FALSE(is_open_at(hours, day, h(18, 59)));
    CHECK(is_open_at(hours, day, h(19)) == works);
    CHECK(is_open_at(hours, day, h(22, 29)) == works);
    CHECK_FALSE(is_open_at(hours, day, h(22, 30)));
    CHECK_FALSE(is_open_at(hours, day, h(23, 59)));
    if (works) {
      CHECK(open_until(hours, day, h(12)) == WeekMoment{0, h(14, 30)});
      CHECK(open_until(hours, day, h(22, 29)) == WeekMoment{0, h(22, 30)});
      CHECK(next_opening(hours, day, h(11, 59)) == WeekMoment{0, h(12)});
      CHECK(next_opening(hours, day, h(12)) == WeekMoment{0, h(19)});  // strictly after
      CHECK(next_opening(hours, day, h(14, 30)) == WeekMoment{0, h(19)});
    } else {
      CHECK_FALSE(open_until(hours, day, h(13)));
    }
  }
  // Closed: the next opening, across the closed days.
  CHECK(next_opening(hours, tue, h(22, 30)) == WeekMoment{1, h(12)});
  CHECK(next_opening(hours, sat, h(23)) == WeekMoment{3, h(12)});
  CHECK(next_opening(hours, sun, h(12)) == WeekMoment{2, h(12)});
  CHECK(next_opening(hours, mon, h(0)) == WeekMoment{1, h(12)});
}

TEST_CASE("hours: services past midnight") {
  // Tuesday-Thursday 18h-1h, Friday-Saturday 18h-2h, Sunday 11h-16h, Monday closed.
  const auto hours = read_restaurant_facts(restaurant_prompts::kComptoir).hours;
  CHECK(is_open_at(hours, tue, h(23, 59)));
  CHECK(is_open_at(hours, wed, h(0)));  // Tuesday's service, after midnight
  CHECK(is_open_at(hours, wed, h(0, 59)));
  CHECK_FALSE(is_open_at(hours, wed, h(1)));  // its closing minute
  CHECK(is_open_at(hours, sat, h(1, 59)));    // Friday's
  CHECK_FALSE(is_open_at(hours, sat, h(2)));
  CHECK(is_open_at(hours, sun, h(1)));            // Saturday's
  CHECK_FALSE(is_open_at(hours, mon, h(0, 30)));  // Sunday ends at 16h
  CHECK_FALSE(is_open_at(hours, tue, h(0, 30)));  // Monday is closed
  CHECK(open_until(hours, tue, h(23)) == WeekMoment{1, h(1)});
  CHECK(open_until(hours, wed, h(0, 30)) == WeekMoment{0, h(1)});
  CHECK(open_until(hours, fri, h(18)) == WeekMoment{1, h(2)});
  CHECK(next_opening(hours, wed, h(1)) == WeekMoment{0, h(18)});
  CHECK(next_opening(hours, sun, h(16)) == WeekMoment{2, h(18)});
}

TEST_CASE("hours: round the clock") {
  const auto hours = read_restaurant_facts(restaurant_prompts::kAllNight).hours;
  for (int day = mon; day <= sun; ++day) {
    CHECK(is_open_at(hours, day, h(0)));
    CHECK(is_open_at(hours, day, h(23, 59)));
    CHECK_FALSE(open_until(hours, day, h(3)));  // never closes
    CHECK_FALSE(next_opening(hours, day, h(3)));
  }
}

TEST_CASE("hours: unknown hours are never open") {
  const auto hours = read_restaurant_facts(restaurant_prompts::kBare).hours;
  CHECK_FALSE(is_open_at(hours, tue, h(12)));
  CHECK_FALSE(next_opening(hours, tue, h(12)));
}
