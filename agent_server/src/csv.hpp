#pragma once
// CSV as RFC 4180 writes it, made safe to open in a spreadsheet: the export of an
// agent's conversations (GET /api/agents/:id/chat-sessions?format=csv).

#include <string>
#include <string_view>
#include <vector>

namespace agent_server {

/// One field. A value a spreadsheet would read as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading `'` (OWASP's advice against
/// CSV injection); a value holding a comma, a double quote, CR or LF is enclosed in
/// double quotes, its quotes doubled. Nothing else changes: UTF-8 passes through.
std::string csv_field(std::string_view value);

/// One record: the fields, each through csv_field, joined by commas and ended by CRLF.
std::string csv_record(const std::vector<std::string>& fields);

}  // namespace agent_server
