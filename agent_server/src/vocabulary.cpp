#include "vocabulary.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

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
    const bool known = std::any_of(entries_.begin(), entries_.end(),
                                   [&](const Entry& e) { return e.words == entry.words && e.stem == entry.stem; });
    if (known) continue;
    all_words_.insert(entry.words.begin(), entry.words.end());
    if (entry.words.size() > 1) {
      phrases_.push_back(entries_.size());
    } else if (entry.stem) {
      stems_.push_back(entry.words.front());
    } else {
      single_.insert(entry.words.front());
    }
    entries_.push_back(std::move(entry));
  }
}

bool WordList::matches(const Entry& e, const std::vector<std::string>& words, std::size_t at) {
  if (at + e.words.size() > words.size()) return false;
  for (std::size_t k = 0; k < e.words.size(); ++k) {
    const std::string& want = e.words[k];
    const std::string& have = words[at + k];
    const bool stem = e.stem && k + 1 == e.words.size();
    if (stem ? have.compare(0, want.size(), want) != 0 : have != want) return false;
  }
  return true;
}

bool WordList::is_stem_of(std::string_view word) const {
  return std::any_of(stems_.begin(), stems_.end(),
                     [&](const std::string& stem) { return word.substr(0, stem.size()) == stem; });
}

std::size_t WordList::match_at(const std::vector<std::string>& words, std::size_t at) const {
  std::size_t longest = 0;
  for (const auto i : phrases_) {
    if (entries_[i].words.size() > longest && matches(entries_[i], words, at)) longest = entries_[i].words.size();
  }
  if (longest == 0 && at < words.size() && is(std::string_view(words[at]))) longest = 1;
  return longest;
}

bool WordList::in(const std::vector<std::string>& words) const {
  for (const auto& w : words) {
    if (single_.count(w) > 0 || is_stem_of(w)) return true;
  }
  for (const auto i : phrases_) {
    for (std::size_t at = 0; at < words.size(); ++at) {
      if (matches(entries_[i], words, at)) return true;
    }
  }
  return false;
}

bool WordList::is(const std::vector<std::string>& words) const {
  if (words.size() == 1) return is(std::string_view(words.front()));
  return std::any_of(phrases_.begin(), phrases_.end(), [&](std::size_t i) {
    return entries_[i].words.size() == words.size() && matches(entries_[i], words, 0);
  });
}

bool WordList::is(std::string_view word) const { return single_.count(std::string(word)) > 0 || is_stem_of(word); }

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

std::optional<DayWord> day_word(std::string_view word) {
  static const auto kDays = [] {
    std::unordered_map<std::string, DayWord> days;
    for (std::size_t l = 0; l < chat::kLangCount; ++l) {
      for (int d = 0; d < 7; ++d) {
        WordList forms;
        forms.add(fold_text(table(l).day_names[d]));
        for (const auto& name : forms.texts()) days.emplace(name, DayWord{d, false});
        forms = WordList();
        if (const char* text = table(l).day_abbreviations[d]) forms.add(text);
        for (const auto& name : forms.texts()) days.emplace(name, DayWord{d, true});
      }
    }
    return days;
  }();
  if (auto it = kDays.find(std::string(word)); it != kDays.end()) return it->second;
  // Plurals: "les lundis", "Mondays"; not "mars" (March), which is "mar" and an "s".
  if (word.size() > 4 && word.back() == 's') {
    if (auto it = kDays.find(std::string(word.substr(0, word.size() - 1))); it != kDays.end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace agent_server
