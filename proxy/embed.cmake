# Writes a C++ file defining `const char* const NAME` with FILE's bytes, at build time,
# so the file in the source tree stays the one source of truth.
# cmake -DINPUT=... -DOUTPUT=... -DNAME=... -P embed.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )embed\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by proxy/embed.cmake: do not edit.\n"
  "namespace chat::proxy {\n"
  "extern const char* const ${NAME};\n"
  "const char* const ${NAME} = R\"embed(${content})embed\";\n"
  "}  // namespace chat::proxy\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
