#pragma once
/**
 * What the citation formats need beyond the record model's fields: the kind of work, volume,
 * issue, URL, publisher, ISSN/ISBN, editors, month and day. The model keeps these in `extra` under
 * the label of the format they came from (RIS `VL`, BibTeX `volume`, WoS `VL`, a JSON `volume`,
 * the seed format's 卷期); this is the one place that knows those labels, so every writer maps
 * them the same way.
 */
#include "record/record.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scholarsearch::exporting {

/// Which reader made the record, told by the labels it always leaves in `extra`.
enum class Origin {
    ris,      ///< extra "TY"
    bibtex,   ///< first extra label "type" (the entry type)
    wos,      ///< extra "PT"
    other,    ///< JSON Lines, seed format
};

enum class WorkType { article, conference_paper, book, chapter, thesis, report, preprint, dataset, webpage, other };

struct Details {
    Origin origin = Origin::other;
    WorkType type = WorkType::other;
    std::optional<std::string> volume, issue, url, publisher, place, issn, isbn;
    std::vector<std::string> editors;
    std::optional<int> month, day;   ///< only when they belong to the record's year
};

Origin origin_of(const record::Record& record);

Details details_of(const record::Record& record);

/// The first line of extra[label], if the record has that label.
std::optional<std::string> extra_value(const record::Record& record, std::string_view label);

/// The lines of one extra value, white space normalised, empty ones dropped.
std::vector<std::string> value_lines(std::string_view value);

/// Every line of extra[label] (a label repeated in the source has one value per line).
std::vector<std::string> extra_values(const record::Record& record, std::string_view label);

}  // namespace scholarsearch::exporting
