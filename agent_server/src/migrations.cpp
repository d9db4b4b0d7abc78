#include "migrations.hpp"

#include <cctype>
#include <regex>

#include "embedded_sql.hpp"

namespace agent_server {

const std::vector<Migration>& migrations_for(std::string_view dialect) {
  static const std::vector<Migration> postgres(std::begin(embedded_sql::kPostgres),
                                               std::end(embedded_sql::kPostgres));
  static const std::vector<Migration> sqlite(std::begin(embedded_sql::kSqlite),
                                             std::end(embedded_sql::kSqlite));
  return dialect == "postgres" ? postgres : sqlite;
}

std::vector<std::string> split_sql_statements(std::string_view script) {
  std::string without_comments;
  std::size_t pos = 0;
  while (pos < script.size()) {
    std::size_t end = script.find('\n', pos);
    if (end == std::string_view::npos) end = script.size();
    std::string_view line = script.substr(pos, end - pos);
    if (auto dash = line.find("--"); dash != std::string_view::npos) line = line.substr(0, dash);
    without_comments.append(line);
    without_comments.push_back('\n');
    pos = end + 1;
  }

  std::vector<std::string> statements;
  std::string current;
  auto flush = [&] {
    std::size_t first = current.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) {
      std::size_t last = current.find_last_not_of(" \t\r\n");
      statements.push_back(current.substr(first, last - first + 1));
    }
    current.clear();
  };
  for (char c : without_comments) {
    if (c == ';') {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return statements;
}

std::optional<std::pair<std::string, std::string>> parse_add_column(std::string_view statement) {
  static const std::regex pattern(R"(^\s*ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+))",
                                  std::regex::icase);
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(statement.begin(), statement.end(), m, pattern)) return std::nullopt;
  return std::make_pair(m[1].str(), m[2].str());
}

}  // namespace agent_server
