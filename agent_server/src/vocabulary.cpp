#include "vocabulary.hpp"

#include <algorithm>
#include <array>

#include "restaurant_facts.hpp"

namespace agent_server {

void WordList::add(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    start = comma + 1;
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    Entry entry;
    entry.stem = !item.empty() && item.back() == '*';
    if (entry.stem) item.remove_suffix(1);
    entry.words = words_of(item);
    if (entry.words.empty()) continue;
    const bool known = std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
      return e.words == entry.words && e.stem == entry.stem;
    });
    if (known) continue;
    all_words_.insert(entry.words.begin(), entry.words.end());
    if (entry.words.size() == 1 && !entry.stem) single_.insert(entry.words.front());
    entries_.push_back(std::move(entry));
  }
}

bool WordList::matches(const Entry& e, const std::vector<std::string>& words, std::size_t at) const {
  if (at + e.words.size() > words.size()) return false;
  for (std::size_t k = 0; k < e.words.size(); ++k) {
    const std::string& want = e.words[k];
    const std::string& have = words[at + k];
    const bool stem = e.stem && k + 1 == e.words.size();
    if (stem ? have.compare(0, want.size(), want) != 0 : have != want) return false;
  }
  return true;
}

std::size_t WordList::match_at(const std::vector<std::string>& words, std::size_t at) const {
  std::size_t longest = 0;
  for (const auto& e : entries_) {
    if (e.words.size() > longest && matches(e, words, at)) longest = e.words.size();
  }
  return longest;
}

bool WordList::in(const std::vector<std::string>& words) const {
  for (const auto& w : words) {
    if (single_.count(w) > 0) return true;
  }
  for (std::size_t at = 0; at < words.size(); ++at) {
    for (const auto& e : entries_) {
      if ((e.stem || e.words.size() > 1) && matches(e, words, at)) return true;
    }
  }
  return false;
}

bool WordList::is(const std::vector<std::string>& words) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& e) { return e.words.size() == words.size() && matches(e, words, 0); });
}

bool WordList::is(std::string_view word) const {
  if (single_.find(word) != single_.end()) return true;
  for (const auto& e : entries_) {
    if (e.stem && e.words.size() == 1 && word.substr(0, e.words.front().size()) == e.words.front()) return true;
  }
  return false;
}

std::vector<std::string> WordList::texts() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) {
    std::string text;
    for (const auto& w : e.words) text += (text.empty() ? "" : " ") + w;
    out.push_back(std::move(text));
  }
  return out;
}

namespace {

const Phrases& table(std::size_t lang) { return phrases(static_cast<chat::Lang>(lang)); }

}  // namespace

const WordList& recognised(Words which) {
  static const auto kLists = [] {
    std::array<WordList, kWordsCount> lists;
    for (std::size_t w = 0; w < kWordsCount; ++w) {
      for (std::size_t l = 0; l < chat::kLangCount; ++l) {
        if (const char* text = table(l).words.lists[w]) lists[w].add(text);
      }
    }
    return lists;
  }();
  return kLists[static_cast<std::size_t>(which)];
}

const WordList& day_names(int day) {
  static const auto kNames = [] {
    std::array<WordList, 7> names;
    for (std::size_t d = 0; d < names.size(); ++d) {
      for (std::size_t l = 0; l < chat::kLangCount; ++l) names[d].add(fold_text(table(l).day_names[d]));
    }
    return names;
  }();
  return kNames[static_cast<std::size_t>(day) % 7];
}

const WordList& day_abbreviations(int day) {
  static const auto kShort = [] {
    std::array<WordList, 7> forms;
    for (std::size_t d = 0; d < forms.size(); ++d) {
      for (std::size_t l = 0; l < chat::kLangCount; ++l) {
        if (const char* text = table(l).day_abbreviations[d]) forms[d].add(text);
      }
    }
    return forms;
  }();
  return kShort[static_cast<std::size_t>(day) % 7];
}

}  // namespace agent_server
