// Static widget files from WIDGET_DIR.

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <sstream>

#include <sys/stat.h>

#include "config.hpp"
#include "kit/http.hpp"
#include "kit/log.hpp"
#include "routes.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;

std::string content_type_for(const std::string& name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".js", "text/javascript"},    {".mjs", "text/javascript"},   {".css", "text/css"},
      {".wasm", "application/wasm"}, {".json", "application/json"}, {".map", "application/json"},
      {".html", "text/html"},        {".svg", "image/svg+xml"},     {".png", "image/png"},
      {".txt", "text/plain"},        {".woff2", "font/woff2"}};
  auto dot = name.rfind('.');
  if (dot != std::string::npos) {
    std::string ext = name.substr(dot);
    for (const auto& [e, type] : kTypes) {
      if (ext == e) return type;
    }
  }
  return "application/octet-stream";
}

// Segments of letters, digits, '.', '_' and '-', none starting with a dot: no "..",
// no hidden files, no absolute paths.
bool is_safe_relative_path(const std::string& path) {
  static const std::regex segment("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  std::size_t start = 0;
  while (true) {
    auto slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.size() > 200 || !std::regex_match(part, segment)) return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

std::string strong_etag(const std::string& content) {
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a 64
  for (unsigned char ch : content) {
    hash ^= ch;
    hash *= 1099511628211ULL;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "\"%016llx-%zx\"", static_cast<unsigned long long>(hash), content.size());
  return buf;
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  std::stringstream list(if_none_match);
  std::string item;
  while (std::getline(list, item, ',')) {
    auto first = item.find_first_not_of(' ');
    auto last = item.find_last_not_of(' ');
    if (first == std::string::npos) continue;
    item = item.substr(first, last - first + 1);
    if (item == "*" || item == etag || item == "W/" + etag) return true;
  }
  return false;
}

bool read_file(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok;
}

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  if (!::realpath(path.c_str(), buf)) return {};
  return buf;
}

}  // namespace

void get_widget(Services& s, Call& c) {
  const std::string& name = c.params.at(0);
  Error missing(ErrorCode::not_found, "no such widget file");
  if (s.config.widget_dir.empty() || !is_safe_relative_path(name)) return kit::send_error(c.res, missing);
  std::string root = real_path(s.config.widget_dir);
  std::string file = real_path(s.config.widget_dir + "/" + name);
  // A symlink inside the folder must not lead out of it.
  struct stat st {};
  if (root.empty() || file.empty() || file.compare(0, root.size() + 1, root + "/") != 0 ||
      ::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return kit::send_error(c.res, missing);
  }
  std::string content;
  if (!read_file(file, content)) return kit::send_error(c.res, Error(ErrorCode::internal_error));

  static const std::regex hashed(R"(.*\.[0-9a-f]{8,}\.[A-Za-z0-9]+)");
  std::string etag = strong_etag(content);
  c.res.set_header("ETag", etag);
  c.res.set_header("Cache-Control",
                   std::regex_match(name, hashed) ? "public, max-age=31536000, immutable" : "no-cache");
  if (etag_matches(c.req.get_header_value("If-None-Match"), etag)) {
    c.res.status = 304;
    return;
  }
  c.res.status = 200;
  c.res.set_content(content, content_type_for(name));
}

}  // namespace agent_server
