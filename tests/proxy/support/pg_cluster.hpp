#pragma once
// A throwaway PostgreSQL cluster for tests: initdb in a temporary folder (as the
// postgres user when we are root), a Unix socket only, removed at the end.

#include <memory>
#include <string>

#include "process.hpp"

namespace proxy_test {

class PgCluster {
 public:
  /// The one cluster of this test process, started on first use; nullptr (with a
  /// warning) when PostgreSQL's server binaries are missing.
  static PgCluster* shared();
  ~PgCluster();

  /// A new empty database; returns its postgres:// URL.
  std::string create_database(const std::string& name);
  /// Runs SQL in a database through psql; returns psql's exit status.
  int psql(const std::string& database, const std::string& sql_or_file, bool is_file = false);

 private:
  PgCluster() = default;
  std::string as_postgres(const std::string& command) const;

  std::string bin_;
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<Process> server_;
};

}  // namespace proxy_test
