// Catch2's main, compiled once: it is slow to build (23 s under em++ at -O1).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
