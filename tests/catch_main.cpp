// Catch2's main, compiled once per build, unoptimised (tests/CMakeLists.txt): it is slow to build.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
