# Files of the source tree compiled into the servers (the SQL migrations, the proxy's
# page), all one way. The files are listed when CMake configures, by a glob with
# CONFIGURE_DEPENDS: a new file makes the next build configure again by itself, with
# no list to keep by hand. Their text is written into C++ at build time by
# ChatEmbedFiles.cmake: an edited file is embedded again by the next build.

set(CHAT_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/ChatEmbedFiles.cmake")

# chat_embed_files(<target> FUNCTION <namespace>::<name> {FILES <file>... | GLOB <pattern>})
# Adds to <target> the definition of `const kit::EmbeddedFiles& <namespace>::<name>()`
# (server_kit/include/kit/embedded.hpp): the files, in the order of their names.
function(chat_embed_files target)
  cmake_parse_arguments(ARG "" "FUNCTION;GLOB" "FILES" ${ARGN})
  set(files ${ARG_FILES})
  if(ARG_GLOB)
    file(GLOB globbed CONFIGURE_DEPENDS "${ARG_GLOB}")
    list(APPEND files ${globbed})
  endif()
  if(NOT files)
    message(FATAL_ERROR "chat_embed_files(${ARG_FUNCTION}): no file matches ${ARG_GLOB}")
  endif()
  list(SORT files)
  string(MAKE_C_IDENTIFIER "${ARG_FUNCTION}" stem)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/embedded/${stem}.cpp")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${output}" "-DFUNCTION=${ARG_FUNCTION}" "-DROOT=${PROJECT_SOURCE_DIR}"
            -P "${CHAT_EMBED_SCRIPT}" -- ${files}
    DEPENDS ${files} "${CHAT_EMBED_SCRIPT}"
    COMMENT "Embedding ${ARG_FUNCTION}"
    VERBATIM)
  target_sources(${target} PRIVATE "${output}")
endfunction()

# chat_embed_migrations(<target> NAMESPACE <namespace> DIR <dir>)
# <namespace>::sqlite_migrations() and <namespace>::postgres_migrations(): the
# numbered files <dir>/sqlite/*.sql and <dir>/postgres/*.sql, for kit::migrate_sqlite
# and kit::migrate_postgres (server_kit/include/kit/migrations.hpp).
function(chat_embed_migrations target)
  cmake_parse_arguments(ARG "" "NAMESPACE;DIR" "" ${ARGN})
  foreach(dialect sqlite postgres)
    chat_embed_files(${target} FUNCTION "${ARG_NAMESPACE}::${dialect}_migrations" GLOB "${ARG_DIR}/${dialect}/*.sql")
  endforeach()
endfunction()
