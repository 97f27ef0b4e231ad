#pragma once
/**
 * Field value builders of the seed format: FORMAT.md §6 (one function per field) and the
 * line-level pieces of §7 (count lines, item lines, one reference item). Inputs are value
 * lines that already went through N, with blank lines dropped.
 */
#include "record/record.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::parse::seed {

/// 被引 / 页数: leading digits (ASCII thousands commas allowed) after NFKC; null if none.
std::optional<long long> parse_count(std::string_view value);

/// 作者: split at ';' '；', affiliation markers `[1, 2]` cut off the end of each name.
std::vector<record::Author> parse_authors(const std::vector<std::string>& lines);

/// 机构: one affiliation per line, `[n] name`; lines without `[n]` get (largest ref so far) + 1.
/// Appends to `affiliations` so that a repeated 机构 label continues the numbering.
void append_affiliations(const std::vector<std::string>& lines,
                         std::vector<record::Affiliation>& affiliations);

/// 关键词: split at ';' '；' '，' (never at the ASCII comma).
std::vector<std::string> parse_keywords(const std::vector<std::string>& lines);

/// DOI without doi.org / doi: prefixes; null if nothing is left.
std::optional<std::string> parse_doi(std::string_view value);

/// 中图分类号: `CODE [LABEL]` pieces separated by ';' '；'.
std::vector<record::ClcCode> parse_clc(const std::vector<std::string>& lines);

/// 学科分类号: NFKC'd codes separated by ';' '；' ',' '，'.
std::vector<std::string> parse_disciplines(const std::vector<std::string>& lines);

/// 页码: first / last page split at the first '/' '-' '–' '—' '~'; null for an empty value.
std::optional<record::Pages> parse_pages(std::string_view value);

/// §7 count line `共 N 条` (trimmed line).
bool is_count_line(std::string_view trimmed);

/// §7 item line: optional bullet, then `[n]`, then the item's first line.
struct ItemStart {
    std::optional<int> n;        ///< absent when a bullet has no `[n]`
    std::string_view first_line; ///< text after the bullet / `[n]`, not yet normalised
};
std::optional<ItemStart> parse_item_line(std::string_view trimmed);

/// One reference item from its lines (first line after `[n]`, then continuation lines).
record::Reference build_reference(int n, const std::vector<std::string>& lines);

}  // namespace scholarsearch::parse::seed
