#pragma once
// The built-in `local` model: offline, answers from the restaurant's facts read out of
// the agent's prompt (restaurant_facts.hpp): opening hours against the agent's clock
// ("are you open tonight?"), address, phone, the menu with prices and diets, bookings
// and the other sentences; in each language's words (phrases.hpp), short, streamed word by word. It
// says plainly when the prompt does not hold the answer, and offers the phone number.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "restaurant_facts.hpp"
#include "time_zone.hpp"

namespace agent_server {

class LocalModel final : public Model {
 public:
  /// `word_pace`: the pause between two words (0: none).
  explicit LocalModel(std::chrono::milliseconds word_pace) : word_pace_(word_pace) {}
  chat::Result<void> reply(const ModelRequest& request, const PieceSink& sink, const CancelToken& cancel) override;

 private:
  /// The facts of a prompt, read once and kept while the prompt stays the same.
  std::shared_ptr<const RestaurantFacts> facts_for(const std::string& knowledge);

  std::chrono::milliseconds word_pace_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const RestaurantFacts>> facts_;
};

/// The language ("fr", "en", "it") whose words the question holds most of, else
/// `fallback` (a code of the list, French otherwise).
std::string detect_lang(std::string_view question, std::string_view fallback);

/// The whole answer to `question` from the restaurant's facts, in `lang`, at the local
/// time `now` (nullopt: no clock, so "open now?" gets the week's hours).
std::string compose_answer(const RestaurantFacts& facts, std::string_view question, std::string_view lang,
                           const std::optional<LocalTime>& now);

/// The same from the prompt's text, without a clock.
std::string compose_answer(std::string_view knowledge, std::string_view question, std::string_view lang);

/// Splits text into pieces that concatenate back to it: "Nous", " sommes", " ouverts".
std::vector<std::string> split_words(std::string_view text);

}  // namespace agent_server
