#pragma once
// The words the built-in model recognises (Words), read from every language's table:
// a question or a prompt may mix languages, so an entry of any language counts.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "phrases.hpp"

namespace agent_server {

/// One list of Words, as entries of folded words (see Words for the notation).
class WordList {
 public:
  /// The entries of `text` ("horaires, tous les jours, reserv*").
  void add(std::string_view text);

  /// Whether an entry occurs anywhere in `words` (folded words: words_of(fold_text(...))).
  bool in(const std::vector<std::string>& words) const;
  /// The number of words of the longest entry that starts at words[at]; 0 for none.
  std::size_t match_at(const std::vector<std::string>& words, std::size_t at) const;
  /// Whether `words` begins with an entry.
  bool starts(const std::vector<std::string>& words) const { return match_at(words, 0) > 0; }
  /// Whether `words` is exactly one entry.
  bool is(const std::vector<std::string>& words) const;
  /// Whether one word is an entry.
  bool is(std::string_view word) const;
  /// Every word of every entry ("sans gluten": "sans" and "gluten").
  const std::set<std::string, std::less<>>& all_words() const { return all_words_; }
  /// The entries as written, each word separated by one space, in the order added.
  std::vector<std::string> texts() const;

 private:
  struct Entry {
    std::vector<std::string> words;
    bool stem = false;  // the last word is a beginning
  };
  static bool matches(const Entry& e, const std::vector<std::string>& words, std::size_t at);
  bool is_stem_of(std::string_view word) const;

  std::vector<Entry> entries_;              // every entry, in the order added
  std::unordered_set<std::string> single_;  // the one-word entries that are not stems
  std::vector<std::string> stems_;          // the one-word stems
  std::vector<std::size_t> phrases_;        // the entries of several words (indexes)
  std::set<std::string, std::less<>> all_words_;
};

/// The list `which` of every language, read once.
const WordList& recognised(Words which);

/// A day named in a prompt or a question, any language.
struct DayWord {
  int day;          ///< Monday is 0
  bool short_form;  ///< "lun", "tues" (Phrases::day_abbreviations), not "lundi"
};
/// The day of a folded word: a day's name (Phrases::day_names, folded), a short form,
/// or the plural of either ("lundis", "Mondays", "tues" but not "mars").
std::optional<DayWord> day_word(std::string_view word);

}  // namespace agent_server
