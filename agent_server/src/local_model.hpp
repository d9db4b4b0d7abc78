#pragma once
// The built-in `local` model: offline, answers from the agent's prompt text
// (opening hours, address, phone, menu and prices) in French or English, streamed
// word by word. It says plainly when the prompt does not hold the answer.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace agent_server {

class LocalModel final : public Model {
 public:
  /// `word_pace`: the pause between two words (0: none).
  explicit LocalModel(std::chrono::milliseconds word_pace) : word_pace_(word_pace) {}
  chat::Result<void> reply(const ModelRequest& request, const PieceSink& sink,
                           const CancelToken& cancel) override;

 private:
  std::chrono::milliseconds word_pace_;
};

/// "fr" or "en" when the question clearly reads as one of them, else `fallback`.
std::string detect_lang(std::string_view question, std::string_view fallback);

/// The whole answer to `question` from the restaurant's `knowledge` (its prompt).
std::string compose_answer(std::string_view knowledge, std::string_view question,
                           std::string_view lang);

/// Splits text into pieces that concatenate back to it: "Nous", " sommes", " ouverts".
std::vector<std::string> split_words(std::string_view text);

}  // namespace agent_server
