# CHAT_LANGUAGES: the product's languages ("fr;en;it"), read from their one list,
# chat::kLangCodes in shared/include/chat/languages.hpp, so the build (the widget's
# module per language) follows it.
set(chat_languages_header "${PROJECT_SOURCE_DIR}/shared/include/chat/languages.hpp")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${chat_languages_header}")
file(STRINGS "${chat_languages_header}" chat_languages_line REGEX "kLangCodes\\{")
string(REGEX MATCHALL "\"[a-z][a-z]\"" CHAT_LANGUAGES "${chat_languages_line}")
string(REPLACE "\"" "" CHAT_LANGUAGES "${CHAT_LANGUAGES}")
if(NOT CHAT_LANGUAGES)
  message(FATAL_ERROR "no language codes found in ${chat_languages_header} (kLangCodes{...})")
endif()
