#include <libpq-fe.h>

#include <mutex>

#include "kit/migrations.hpp"
#include "kit/pg.hpp"
#include "kit/probe_cache.hpp"
#include "store.hpp"

namespace proxy {

using chat::Error;
using chat::ErrorCode;
using chat::Result;

namespace {

using kit::PgResult;

constexpr const char* kSelectColumns =
    "SELECT id, name, lang, position, agent_id, agent_api_token, CAST(created_at AS TEXT) "
    "FROM restaurants ";

RestaurantRow read_row(const PgResult& r, int row) {
  RestaurantRow out;
  out.id = r.text(row, 0);
  out.name = r.text(row, 1);
  out.lang = r.text(row, 2);
  out.position = r.text(row, 3);
  out.agent_id = r.optional_text(row, 4);
  out.agent_api_token = r.optional_text(row, 5);
  out.created_at = r.text(row, 6);
  return out;
}

class PostgresStore final : public RestaurantStore {
 public:
  explicit PostgresStore(PGconn* conn) : conn_(conn) {}
  ~PostgresStore() override { PQfinish(conn_); }
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  Result<std::vector<std::string>> migrate() {
    std::lock_guard lock(mutex_);
    kit::MigrationOptions options{
        kMigrationTable, kMigrationLock,
        // The row /healthz writes (check_writable); not a migration: no data of ours.
        "CREATE TABLE IF NOT EXISTS proxy_health (id INTEGER PRIMARY KEY, "
        "probes BIGINT NOT NULL DEFAULT 0, checked_at TIMESTAMPTZ NOT NULL DEFAULT now())"};
    return kit::migrate_postgres(conn_, postgres_migrations(), options);
  }

  Result<std::optional<RestaurantRow>> find(std::string_view id) override {
    std::string sid(id);
    auto r = query((std::string(kSelectColumns) + "WHERE id = $1").c_str(), {sid.c_str()});
    if (!r) return r.error();
    if ((*r)->rows() == 0) return std::optional<RestaurantRow>{};
    return std::optional<RestaurantRow>(read_row(**r, 0));
  }

  Result<void> insert(const RestaurantRow& row) override {
    std::vector<const char*> params = {row.id.c_str(),
                                       row.name.c_str(),
                                       row.lang.c_str(),
                                       row.position.c_str(),
                                       row.agent_id ? row.agent_id->c_str() : nullptr,
                                       row.agent_api_token ? row.agent_api_token->c_str() : nullptr};
    auto r = query("INSERT INTO restaurants (id, name, lang, position, agent_id, agent_api_token) "
                   "VALUES ($1, $2, $3, $4, $5, $6)",
                   params);
    if (!r) return r.error();
    return {};
  }

  Result<bool> set_token(std::string_view id, std::string_view token) override {
    return update("UPDATE restaurants SET agent_api_token = $1 WHERE id = $2", id, token);
  }

  Result<bool> set_token_if_missing(std::string_view id, std::string_view token) override {
    return update("UPDATE restaurants SET agent_api_token = $1 WHERE id = $2 AND agent_api_token IS NULL", id,
                  token);
  }

  Result<std::vector<RestaurantRow>> missing_tokens() override {
    return list("WHERE agent_id IS NOT NULL AND agent_id <> '' AND agent_api_token IS NULL ORDER BY id");
  }

  Result<std::vector<RestaurantRow>> with_agents() override {
    return list("WHERE agent_id IS NOT NULL AND agent_id <> '' ORDER BY id");
  }

  Result<bool> replace_token(std::string_view id, std::string_view expected, std::string_view token) override {
    std::string sid(id);
    std::string sexpected(expected);
    std::string stoken(token);
    auto r = query("UPDATE restaurants SET agent_api_token = $1 WHERE id = $2 AND agent_api_token = $3",
                   {stoken.c_str(), sid.c_str(), sexpected.c_str()});
    if (!r) return r.error();
    return std::string(PQcmdTuples((*r)->get())) != "0";
  }

  Result<void> check_writable() override {
    return write_probe_.get([&]() -> Result<void> {
      auto r = query("INSERT INTO proxy_health (id, probes, checked_at) VALUES (1, 1, now()) "
                     "ON CONFLICT (id) DO UPDATE SET probes = proxy_health.probes + 1, checked_at = now()",
                     {});
      if (!r) return r.error();
      return {};
    });
  }

 private:
  // Never includes parameter values: they may hold a token.
  Error error(std::string_view what) const {
    return Error(ErrorCode::internal_error, std::string(what) + ": " + PQerrorMessage(conn_));
  }

  Result<std::vector<RestaurantRow>> list(const char* where) {
    auto r = query((std::string(kSelectColumns) + where).c_str(), {});
    if (!r) return r.error();
    std::vector<RestaurantRow> rows;
    for (int i = 0; i < (*r)->rows(); ++i) rows.push_back(read_row(**r, i));
    return rows;
  }

  Result<std::unique_ptr<PgResult>> query(const char* sql, const std::vector<const char*>& params) {
    std::lock_guard lock(mutex_);
    // A dropped connection (database restart) is reopened once per query.
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
      auto r = std::make_unique<PgResult>(
          PQexecParams(conn_, sql, static_cast<int>(params.size()), nullptr, params.data(), nullptr, nullptr, 0));
      if (r->ok()) return r;
      if (PQstatus(conn_) == CONNECTION_OK) return error("query");
    }
    return error("query");
  }

  Result<bool> update(const char* sql, std::string_view id, std::string_view token) {
    std::string sid(id);
    std::string stoken(token);
    auto r = query(sql, {stoken.c_str(), sid.c_str()});
    if (!r) return r.error();
    return std::string(PQcmdTuples((*r)->get())) != "0";
  }

  PGconn* conn_;
  std::mutex mutex_;
  kit::ProbeCache write_probe_;
};

}  // namespace

Result<std::unique_ptr<RestaurantStore>> open_postgres_store(const std::string& url, const MigrationLog& log) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq's message names host and port, never the password.
    Error error(ErrorCode::internal_error, std::string("connect to PostgreSQL: ") + PQerrorMessage(conn));
    PQfinish(conn);
    return error;
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  auto store = std::make_unique<PostgresStore>(conn);
  auto applied = store->migrate();
  if (!applied) return applied.error();
  for (const auto& name : applied.value()) {
    if (log) log(name);
  }
  return std::unique_ptr<RestaurantStore>(std::move(store));
}

}  // namespace proxy
