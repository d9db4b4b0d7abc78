#pragma once
// Files of the source tree compiled into a binary by cmake/ChatEmbed.cmake
// (chat_embed_files), so a server ships exactly what is committed.

#include <string_view>
#include <vector>

namespace kit {

/// One embedded file.
struct EmbeddedFile {
  std::string_view name;  ///< the file's name without its extension, e.g. "002_migrate-chat"
  std::string_view path;  ///< its path from the repository's root, e.g. "sql/proxy/sqlite/001_base.sql"
  std::string_view text;  ///< its whole text
};

/// The files of one chat_embed_files() call, in the order of their names.
using EmbeddedFiles = std::vector<EmbeddedFile>;

}  // namespace kit
