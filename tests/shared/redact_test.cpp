#include <catch2/catch.hpp>

#include <string>

#include "chat/redact.hpp"

using chat::redact_secrets;

TEST_CASE("redact_secrets leaves ordinary text alone") {
  for (const std::string& text : {
           std::string(),
           std::string("the model server (http://10.0.0.7:11434) answered HTTP 503: the model is overloaded"),
           std::string("the model server (http://127.0.0.1:4000) sent nothing for 30 s"),
           std::string("Incorrect API key provided"),
           std::string("POST /v1/chat/completions failed: Connection"),
           std::string("La clé est refusée : réessayez."),
           std::string("the SMS gateway refused the message (HTTP 401)"),
           std::string("a short id chatcmpl-42 and a word like internationalization"),
           std::string("bad \xff\xfe bytes stay"),
       }) {
    INFO(text);
    CHECK(redact_secrets(text) == text);
  }
}

TEST_CASE("redact_secrets masks bearer and basic credentials") {
  CHECK(redact_secrets("Authorization: Bearer sk-live-0123456789abcdef") == "Authorization: Bearer ***");
  CHECK(redact_secrets("got bearer abc.def.ghi, then stopped") == "got bearer ***, then stopped");
  CHECK(redact_secrets("BEARER\tabc") == "BEARER\t***");
  CHECK(redact_secrets("Basic dXNlcjpwYXNz") == "Basic ***");
  // Not the scheme: a word that only starts the same, or no credential after it.
  CHECK(redact_secrets("Bearers are fine") == "Bearers are fine");
  CHECK(redact_secrets("a bearer ") == "a bearer ");
}

TEST_CASE("redact_secrets masks API keys by their prefix, echoed halves included") {
  CHECK(redact_secrets("Incorrect API key provided: sk-fake-llm-key-0123456789.") ==
        "Incorrect API key provided: sk-***.");
  CHECK(redact_secrets("Incorrect API key provided: sk-proj-ab**********************wxyz. You can find") ==
        "Incorrect API key provided: sk-***. You can find");
  CHECK(redact_secrets("key sk_test_51Habc given") == "key sk_*** given");
  CHECK(redact_secrets("token ak_Q2xpZW50IHRva2Vu and pk_dGhlIHB1YmxpYyBvbmU") == "token ak_*** and pk_***");
  // Too short to be a key, or inside another word.
  CHECK(redact_secrets("sk-abc") == "sk-abc");
  CHECK(redact_secrets("task_manager") == "task_manager");
  CHECK(redact_secrets("desk-lamp-model") == "desk-lamp-model");
}

TEST_CASE("redact_secrets masks secret-named fields and query parameters") {
  CHECK(redact_secrets("GET /v1/models?api_key=abc123&limit=5 failed") ==
        "GET /v1/models?api_key=***&limit=5 failed");
  CHECK(redact_secrets("https://llm.internal/v1?token=s3cr3t") == "https://llm.internal/v1?token=***");
  CHECK(redact_secrets("?key=AIzaSy-short#frag") == "?key=***#frag");
  CHECK(redact_secrets(R"({"apiKey": "abc", "model": "m"})") == R"({"apiKey": "***", "model": "m"})");
  CHECK(redact_secrets(R"({"client_secret":"xyz"})") == R"({"client_secret":"***"})");
  CHECK(redact_secrets("x-api-key: hunter2") == "x-api-key: ***");
  CHECK(redact_secrets("password=pa ss") == "password=*** ss");
  CHECK(redact_secrets("&sig=abc&X-Amz-Signature=def") == "&sig=***&X-Amz-Signature=***");
  // A secret-sounding name without a value, and other names, stay.
  CHECK(redact_secrets("token=&next=1") == "token=&next=1");
  CHECK(redact_secrets("monkey business") == "monkey business");
  CHECK(redact_secrets("model=llama3&stream=true") == "model=llama3&stream=true");
}

TEST_CASE("redact_secrets masks credentials in URLs") {
  CHECK(redact_secrets("connect to http://admin:hunter2@10.0.0.7:11434/v1 failed") ==
        "connect to http://***@10.0.0.7:11434/v1 failed");
  CHECK(redact_secrets("postgres://chat:pa@ss@db.internal/chat") == "postgres://***@db.internal/chat");
  CHECK(redact_secrets("https://user@host/") == "https://***@host/");
  // An @ after the authority is not a credential.
  CHECK(redact_secrets("https://host/@someone") == "https://host/@someone");
  CHECK(redact_secrets("mailto me: a@b.c, see https://x.y") == "mailto me: a@b.c, see https://x.y");
}

TEST_CASE("redact_secrets masks long opaque token-like strings") {
  CHECK(redact_secrets("request 0123456789abcdef0123456789abcdef failed") == "request *** failed");
  CHECK(redact_secrets("jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig") ==
        "jwt ***.***.sig");
  CHECK(redact_secrets("AKIAIOSFODNN7EXAMPLEKEYS1") == "***");
  // Long, but only letters (a word) or only digits (a number).
  CHECK(redact_secrets("Pneumonoultramicroscopicsilicovolcanoconiosis") ==
        "Pneumonoultramicroscopicsilicovolcanoconiosis");
  CHECK(redact_secrets("123456789012345678901234567890") == "123456789012345678901234567890");
  // 23 characters mixing both stay (a short request id).
  CHECK(redact_secrets("req_0123456789abcdefghi") == "req_0123456789abcdefghi");
}

TEST_CASE("redact_secrets masks everything in a model server's error body") {
  const std::string body =
      R"({"error":{"message":"Incorrect API key provided: sk-fake-llm-key-0123456789. )"
      R"(Upstream http://svc:t0ken@llm-backend.internal:8000/v1?api_key=sk-fake-llm-key-0123456789 said no",)"
      R"("type":"invalid_request_error","code":"invalid_api_key"}})";
  const auto out = redact_secrets(body);
  CHECK(out.find("0123456789") == std::string::npos);
  CHECK(out.find("t0ken") == std::string::npos);
  CHECK(out.find("fake-llm") == std::string::npos);
  // What helps an operator stays.
  CHECK(out.find("Incorrect API key provided") != std::string::npos);
  CHECK(out.find("llm-backend.internal:8000/v1") != std::string::npos);
  CHECK(out.find("invalid_api_key") != std::string::npos);
  // Idempotent.
  CHECK(redact_secrets(out) == out);
}
