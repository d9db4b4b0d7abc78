# Phone verification and the OpenAI-compatible backend (issue 4, first half).
# Included from tests/agent_server/CMakeLists.txt, after agent_server_test_fixture.

# Fakes of third parties only (an LLM provider, an SMS gateway), speaking their
# real wire formats on port 0.
add_library(chat_test_fakes STATIC
  "${PROJECT_SOURCE_DIR}/tests/support/fake_openai.cpp"
  "${PROJECT_SOURCE_DIR}/tests/support/fake_sms_gateway.cpp")
target_include_directories(chat_test_fakes PUBLIC "${PROJECT_SOURCE_DIR}/tests/support")
target_link_libraries(chat_test_fakes PUBLIC chat_json PkgConfig::HTTPLIB Threads::Threads)
chat_test_target_defaults(chat_test_fakes)

chat_add_catch_suite(agent_server_models
  SOURCES openai_model_test.cpp sms_test.cpp verification_test.cpp
  LIBS agent_server_lib chat_test_fakes
  LABELS agent_server)

chat_add_catch_suite(agent_server_verify_http
  SOURCES verify_routes_test.cpp openai_replies_test.cpp verification_sql_test.cpp
  LIBS agent_server_lib agent_server_test_fixture chat_test_fakes
  LABELS agent_server)

# Several instances on one PostgreSQL database: the NOTIFY payloads, two hubs in
# one process, then two agent-server processes (each test process has its own
# throwaway cluster, so ctest -j runs them side by side).
chat_add_catch_suite(agent_server_instances
  SOURCES pg_events_test.cpp instances_test.cpp
  LIBS agent_server_lib agent_server_test_fixture
  LABELS agent_server postgres)
