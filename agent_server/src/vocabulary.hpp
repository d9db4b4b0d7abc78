#pragma once
// The words the built-in model recognises (Words), read from every language's table:
// a question or a prompt may mix languages, so an entry of any language counts.

#include <set>
#include <string>
#include <string_view>
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
  bool matches(const Entry& e, const std::vector<std::string>& words, std::size_t at) const;

  std::vector<Entry> entries_;
  std::set<std::string, std::less<>> single_;  // one-word entries that are not stems: a fast path
  std::set<std::string, std::less<>> all_words_;
};

/// The list `which` of every language, read once.
const WordList& recognised(Words which);
/// A day's names (Monday is 0) in every language, folded: "lundi, monday, lunedi".
const WordList& day_names(int day);
/// A day's short forms in every language: "lun, mon".
const WordList& day_abbreviations(int day);

}  // namespace agent_server
