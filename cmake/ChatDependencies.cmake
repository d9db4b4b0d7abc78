# Every dependency comes from a Debian package. Native builds use the packages'
# CMake and pkg-config files. Emscripten must never see -I/usr/include (the host's
# libc headers break it), so header-only packages are reached through a folder that
# holds only a link to each one.

if(EMSCRIPTEN)
  set(CHAT_SYSDEPS "${CMAKE_BINARY_DIR}/sysdeps")
  file(MAKE_DIRECTORY "${CHAT_SYSDEPS}")
  foreach(dir nlohmann catch2)
    if(NOT EXISTS "${CHAT_SYSDEPS}/${dir}")
      file(CREATE_LINK "/usr/include/${dir}" "${CHAT_SYSDEPS}/${dir}" SYMBOLIC)
    endif()
  endforeach()

  add_library(chat_json INTERFACE)
  target_include_directories(chat_json SYSTEM INTERFACE "${CHAT_SYSDEPS}")
  target_compile_definitions(chat_json INTERFACE JSON_NOEXCEPTION)

  add_library(chat_catch2 INTERFACE)
  target_include_directories(chat_catch2 SYSTEM INTERFACE "${CHAT_SYSDEPS}")
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  add_library(chat_json INTERFACE)
  target_link_libraries(chat_json INTERFACE nlohmann_json::nlohmann_json)

  find_package(Catch2 2 REQUIRED)
  add_library(chat_catch2 INTERFACE)
  target_link_libraries(chat_catch2 INTERFACE Catch2::Catch2)

  find_package(PkgConfig REQUIRED)
  # Debian's cpp-httplib is a compiled .so: its flags (OpenSSL, zlib, brotli) must
  # match ours or Request/Response change layout.
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
  # The proxy's own upstream connections speak TLS to an https agent server.
  find_package(OpenSSL REQUIRED)
  find_package(SQLite3 REQUIRED)
  pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
  find_package(Threads REQUIRED)
endif()
