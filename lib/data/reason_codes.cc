// ReasonCodeMeaning: the catalogue's tables read once, on first use.
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lib/data/embedded.h"
#include "sympozium/diagnostic.h"

namespace sympozium {
namespace {

// The cells of a Markdown table row (`| a | b |`), `\|` kept as `|`.
std::vector<std::string> Cells(std::string_view row) {
  std::vector<std::string> cells(1);
  for (size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cells.back() += '|';
      ++i;
    } else if (row[i] == '|') {
      cells.emplace_back();
    } else {
      cells.back() += row[i];
    }
  }
  cells.pop_back();  // what follows the closing `|`
  return cells;
}

// Markdown to plain text, as far as the catalogue uses it: `code` loses its
// backticks, [text](link) keeps its text, *emphasis* its words.
std::string PlainText(std::string_view md) {
  std::string out;
  for (size_t i = 0; i < md.size(); ++i) {
    char c = md[i];
    if (c == '`' || c == '*') continue;
    if (c == ']' && i + 1 < md.size() && md[i + 1] == '(') {
      size_t close = md.find(')', i);
      if (close != std::string_view::npos) i = close;
      continue;
    }
    if (c != '[') out += c;
  }
  size_t begin = out.find_first_not_of(' '), end = out.find_last_not_of(' ');
  return begin == std::string::npos ? "" : out.substr(begin, end - begin + 1);
}

// Tables headed `| code | ... | meaning | ...`, rows `| `code` | ...`:
// code -> meaning. The tables differ in their other columns.
absl::flat_hash_map<std::string, std::string> ReadCatalogue(std::string_view md) {
  absl::flat_hash_map<std::string, std::string> meanings;
  size_t meaning = 0;  // the column of the current table; 0: none
  while (!md.empty()) {
    size_t end = md.find('\n');
    std::string_view line = md.substr(0, end);
    md = end == std::string_view::npos ? std::string_view() : md.substr(end + 1);
    if (line.substr(0, 7) == "| code ") {
      std::vector<std::string> header = Cells(line);
      meaning = 0;
      for (size_t i = 1; i < header.size(); ++i)
        if (PlainText(header[i]) == "meaning") meaning = i;
    } else if (line.substr(0, 3) == "| `" && meaning > 0) {
      std::vector<std::string> cells = Cells(line);
      if (cells.size() > meaning) meanings.emplace(PlainText(cells[0]), PlainText(cells[meaning]));
    } else if (line.substr(0, 1) != "|") {
      meaning = 0;
    }
  }
  return meanings;
}

}  // namespace

std::string_view ReasonCodeMeaning(std::string_view code) {
  static const auto* meanings = new absl::flat_hash_map<std::string, std::string>(
      ReadCatalogue(data::Embedded("reason-codes.md")));
  auto it = meanings->find(std::string(code));
  return it == meanings->end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace sympozium
