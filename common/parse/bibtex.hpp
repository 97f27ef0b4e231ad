#pragma once
/**
 * BibTeX reader (@article{key, title = {...}, ...}), with @string macros, # concatenation,
 * @comment/@preamble, nested braces and LaTeX accents turned into Unicode. See docs/FORMATS.md
 * for the field mapping. Parsers never throw on bad data.
 */
#include "parse/parse_result.hpp"

#include <map>
#include <string>
#include <string_view>

namespace scholarsearch::parse {

/// @string macros by lower-cased name; carried from one piece of a file to the next.
using BibtexStrings = std::map<std::string, std::string>;

/**
 * Parses whole lines of BibTeX: a whole file, or a piece of one cut just before a line starting
 * with '@'. `strings` (may be null) supplies the macros defined earlier in the file and receives
 * those defined here. Records get source.line = 1-based line of their '@' within `text` and
 * source.index = 0-based count of entries started before them in `text` (@string, @comment and
 * @preamble take no index; a rejected entry takes one, and its Diagnostic carries it).
 * file_error "no_records" when `text` holds no entry at all.
 */
ParseResult parse_bibtex(std::string_view text, const std::string& file_path, BibtexStrings* strings = nullptr);

}  // namespace scholarsearch::parse
