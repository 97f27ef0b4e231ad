#include "search/query_builder.hpp"

#include "index/document_builder.hpp"
#include "record/error.hpp"
#include "record/record.hpp"
#include "schema/schema.hpp"
#include "search/abstract_phrase.hpp"
#include "search/query_text.hpp"
#include "search/request_params.hpp"
#include "text/normalize.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <exception>
#include <utility>

namespace scholarsearch::search {

namespace prefix = schema::prefix;

namespace {

enum class Field { free, title, author, keyword, abstract, affiliation, doi, clc, venue, year };

bool is_boolean_field(Field field) {
    return field == Field::doi || field == Field::clc || field == Field::venue || field == Field::year;
}

// Names and codes are not dictionary words: only these fields' words are spelling-corrected.
bool is_correctable_field(Field field) {
    return field == Field::free || field == Field::title || field == Field::keyword || field == Field::abstract;
}

struct FieldAlias {
    std::string_view name;
    Field field;
};

// English names are matched case-insensitively; Chinese names as written (after NFKC).
constexpr std::array<FieldAlias, 25> field_aliases{{
    {"title", Field::title},        {"ti", Field::title},          {"标题", Field::title},
    {"题名", Field::title},         {"author", Field::author},     {"au", Field::author},
    {"作者", Field::author},        {"keyword", Field::keyword},   {"keywords", Field::keyword},
    {"kw", Field::keyword},         {"关键词", Field::keyword},    {"abstract", Field::abstract},
    {"ab", Field::abstract},        {"摘要", Field::abstract},     {"affiliation", Field::affiliation},
    {"aff", Field::affiliation},    {"机构", Field::affiliation},  {"doi", Field::doi},
    {"clc", Field::clc},            {"中图分类号", Field::clc},    {"venue", Field::venue},
    {"journal", Field::venue},      {"来源", Field::venue},        {"期刊", Field::venue},
    {"year", Field::year},
}};

std::optional<Field> field_named(std::string_view name) {
    std::string lower(name);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "年份" || lower == "py") return Field::year;
    for (const auto& alias : field_aliases)
        if (alias.name == lower) return alias.field;
    return std::nullopt;
}

std::string_view text_prefix(Field field) {
    switch (field) {
        case Field::title: return prefix::title;
        case Field::author: return prefix::author_words;
        case Field::keyword: return prefix::keyword_words;
        case Field::abstract: return prefix::abstract;
        case Field::affiliation: return prefix::affiliation;
        default: return "";
    }
}

std::string_view boolean_token_prefix(Field field) {
    switch (field) {
        case Field::doi: return "_fdoi";
        case Field::clc: return "_fclc";
        case Field::venue: return "_fvenue";
        case Field::year: return "_fyear";
        default: return "_q";
    }
}

enum class ItemKind : char { text = 't', phrase = 'p', wildcard = 'w', near = 'n', adjacent = 'a' };

// One piece of query text, carried through the QueryParser as an opaque hex token.
struct Item {
    Field field = Field::free;
    ItemKind kind = ItemKind::text;
    unsigned window = 0;
    std::string text;
    std::size_t begin = 0, end = 0;   ///< where `text` is in the query (not encoded)
};

std::string encode(const Item& item) {
    std::string payload;
    payload += static_cast<char>('A' + static_cast<int>(item.field));
    payload += static_cast<char>(item.kind);
    payload += std::to_string(item.window);
    payload += '|';
    payload += item.text;
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(payload.size() * 2);
    for (unsigned char c : payload) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return hex;
}

Item decode(std::string_view hex) {
    std::string payload;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
        payload += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
    }
    Item item;
    if (payload.size() < 3) return item;
    item.field = static_cast<Field>(payload[0] - 'A');
    item.kind = static_cast<ItemKind>(payload[1]);
    auto bar = payload.find('|');
    std::from_chars(payload.data() + 2, payload.data() + bar, item.window);
    item.text = payload.substr(bar + 1);
    return item;
}

}  // namespace

// Common English function words: dropped from OR queries (never from phrases), since they cost
// the most postings and carry no evidence of relevance.
constexpr std::array<std::string_view, 48> stop_words{
    "a",    "an",   "and",  "are",   "as",   "at",    "be",   "but",   "by",   "for",  "from", "has",
    "have", "how",  "i",    "if",    "in",   "into",  "is",   "it",    "its",  "no",   "not",  "of",
    "on",   "or",   "such", "that",  "the",  "their", "then", "there", "these", "they", "this", "to",
    "was",  "were", "what", "when",  "which", "who",  "will", "with",  "can",  "do",   "does", "we"};

bool is_stop_word(std::string_view word) {
    return std::find(stop_words.begin(), stop_words.end(), word) != stop_words.end();
}

namespace {

// NFKC; the typographic quotes users paste from documents act as ASCII quotes, tabs and line
// breaks as spaces.
std::string normalized_unchecked(const std::string& query) {
    constexpr std::u32string_view quotes = U"\u201C\u201D\u201E\u201F\u00AB\u00BB\u300C\u300D";
    const std::string normalized = text::nfkc(query);
    std::string out;
    out.reserve(normalized.size());
    for (std::size_t pos = 0; pos < normalized.size();) {
        const std::size_t start = pos;
        const char32_t c = text::next_code_point(normalized, pos);
        if (quotes.find(c) != std::u32string_view::npos) out += '"';
        else if (c == '\t' || c == '\n' || c == '\r') out += ' ';
        else out.append(normalized, start, pos - start);
    }
    return out;
}

// NEAR, NEAR/5, ADJ, ADJ/3 -> kind and window.
std::optional<std::pair<ItemKind, unsigned>> proximity_operator(std::string_view word) {
    ItemKind kind;
    if (word.substr(0, 4) == "NEAR") {
        kind = ItemKind::near;
        word.remove_prefix(4);
    } else if (word.substr(0, 3) == "ADJ") {
        kind = ItemKind::adjacent;
        word.remove_prefix(3);
    } else {
        return std::nullopt;
    }
    unsigned window = 10;
    if (word.empty()) return std::pair{kind, window};
    if (word.front() != '/') return std::nullopt;
    word.remove_prefix(1);
    auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), window);
    if (error != std::errc() || end != word.data() + word.size() || window == 0) return std::nullopt;
    return std::pair{kind, std::min(window, 1000u)};
}

// Turns the user's query into QueryParser syntax whose text pieces are opaque tokens.
class Lexer {
public:
    Lexer(const std::string& text, bool keep_structure) : text_(text), keep_structure_(keep_structure) {}

    /// Where run()'s content-field words are in the text (BuiltQuery::correctable).
    const std::vector<std::pair<std::size_t, std::size_t>>& correctable() const { return correctable_; }

    std::string run(std::vector<Item>& items) {
        items_ = &items;
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == ' ') {
                ++pos_;
            } else if (c == '(' || c == ')') {
                ++pos_;
                if (!keep_structure_) continue;
                if (c == '(') {
                    group_fields_.push_back(pending_group_field_.value_or(current_field()));
                    pending_group_field_.reset();
                } else if (!group_fields_.empty()) {
                    group_fields_.pop_back();
                }
                out_ += c;
                out_ += ' ';
            } else if (c == '"') {
                read_phrase(current_field(), "");
            } else {
                read_word();
            }
        }
        return out_;
    }

private:
    Field current_field() const { return group_fields_.empty() ? Field::free : group_fields_.back(); }

    void read_phrase(Field field, std::string sign) {
        std::size_t end = text_.find('"', pos_ + 1);
        if (end == std::string::npos) end = text_.size();
        const std::size_t begin = pos_ + 1;
        std::string phrase = text_.substr(begin, end - begin);
        pos_ = std::min(end + 1, text_.size());
        if (phrase.find_first_not_of(' ') == std::string::npos) return;
        emit(Item{field, keep_structure_ ? ItemKind::phrase : ItemKind::text, 0, std::move(phrase), begin, end}, sign);
    }

    void read_word() {
        std::size_t end = text_.find_first_of(" ()\"", pos_);
        if (end == std::string::npos) end = text_.size();
        std::string word = text_.substr(pos_, end - pos_);
        std::size_t begin = pos_;
        pos_ = end;

        std::string sign;
        // "+word" and "-word" are love/hate; "--20世纪" or "-+" are punctuation, and so is a sign
        // glued to a closing bracket or quote: "O(n^2)-time" and "(k,ℓ)-anonymity" are hyphens,
        // as in the titles they are pasted from, not "NOT time".
        const bool starts_token = begin == 0 || text_[begin - 1] == ' ' || text_[begin - 1] == '(';
        if (keep_structure_ && starts_token && word.size() > 1 && (word[0] == '+' || word[0] == '-') &&
            word[1] != '+' && word[1] != '-') {
            sign = word.substr(0, 1);
            word.erase(0, 1);
            ++begin;
        }
        if (keep_structure_ && sign.empty() && is_boolean_operator(word)) {
            out_ += word + ' ';
            return;
        }
        if (keep_structure_ && sign.empty()) {
            if (auto proximity = proximity_operator(word)) {
                pending_proximity_ = proximity;
                return;
            }
        }
        Field field = current_field();
        if (auto colon = word.find(':'); colon != std::string::npos && colon > 0) {
            if (auto named = field_named(std::string_view(word).substr(0, colon))) {
                field = *named;
                word.erase(0, colon + 1);
                begin += colon + 1;
                if (word.empty()) {
                    // `title:"a phrase"` or `title:(a OR b)`: the field applies to what follows.
                    if (pos_ < text_.size() && text_[pos_] == '"') read_phrase(field, sign);
                    else if (pos_ < text_.size() && text_[pos_] == '(' && keep_structure_) pending_group_field_ = field;
                    return;
                }
            }
        }
        if (word.empty() || word == "+" || word == "-") return;
        ItemKind kind = ItemKind::text;
        if (keep_structure_ && word.size() > 1 && word.back() == '*') {
            kind = ItemKind::wildcard;
            word.pop_back();
        }
        emit(Item{field, kind, 0, std::move(word), begin, end}, sign);
    }

    void emit(Item item, const std::string& sign) {
        if (item.kind != ItemKind::wildcard && is_correctable_field(item.field))
            correctable_.emplace_back(item.begin, item.end);
        // `a NEAR b`: the previous token and this one become one proximity item.
        if (pending_proximity_ && last_item_ && last_item_end_ == out_.size() && (*items_)[*last_item_].field == item.field &&
            !is_boolean_field(item.field)) {
            Item& previous = (*items_)[*last_item_];
            previous.kind = pending_proximity_->first;
            previous.window = pending_proximity_->second;
            previous.text += ' ';
            previous.text += item.text;
            pending_proximity_.reset();
            out_.erase(last_item_start_);
            write_item(previous, last_sign_);
            return;
        }
        pending_proximity_.reset();
        items_->push_back(item);
        last_item_ = items_->size() - 1;
        last_sign_ = sign;
        write_item(item, sign);
    }

    void write_item(const Item& item, const std::string& sign) {
        last_item_start_ = out_.size();
        out_ += sign;
        out_ += boolean_token_prefix(item.field);
        out_ += ':';
        out_ += encode(item);
        out_ += ' ';
        last_item_end_ = out_.size();
    }

    const std::string& text_;
    bool keep_structure_;
    std::size_t pos_ = 0;
    std::string out_;
    std::vector<Item>* items_ = nullptr;
    std::vector<Field> group_fields_;
    std::optional<Field> pending_group_field_;
    std::optional<std::pair<ItemKind, unsigned>> pending_proximity_;
    std::optional<std::size_t> last_item_;
    std::string last_sign_;
    std::size_t last_item_start_ = 0, last_item_end_ = 0;
    std::vector<std::pair<std::size_t, std::size_t>> correctable_;
};

std::string upper_ascii(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// Whether any term has exactly this field prefix: a longer prefix that starts the same way
// ("XAU" under "XA") is another field and does not count.
bool has_field_terms(const Xapian::Database& database, std::string_view field_prefix) {
    const std::string start(field_prefix);
    auto it = database.allterms_begin(start);
    const auto end = database.allterms_end(start);
    if (it == end) return false;
    const auto first = static_cast<unsigned char>((*it)[start.size()]);
    if (first < 'A' || first > 'Z') return true;
    it.skip_to(start + "[");   // the first body that does not start with a capital
    return it != end;
}

}  // namespace

struct QueryBuilder::Impl {
    analysis::Analyzer analyzer;
    Xapian::QueryParser parser;
    std::optional<Xapian::Database> database;
    bool has_author_words = true;
    bool has_affiliations = true;
    bool abstract_positions = true;
    const RankingOptions* ranking = nullptr;
    std::vector<std::string>* words = nullptr;
    std::shared_ptr<AbstractPhraseChecks>* abstract_checks = nullptr;   // of the query being built

    class Processor : public Xapian::FieldProcessor {
    public:
        explicit Processor(Impl& impl) : impl_(impl) {}
        Xapian::Query operator()(const std::string& hex) override {
            try {
                return impl_.item_query(decode(hex));
            } catch (...) {
                if (!impl_.pending_exception) impl_.pending_exception = std::current_exception();
                return Xapian::Query::MatchNothing;
            }
        }

    private:
        Impl& impl_;
    };

    Impl() {
        parser.add_prefix("_q", (new Processor(*this))->release());
        for (std::string field : {"_fdoi", "_fclc", "_fvenue", "_fyear"})
            parser.add_boolean_prefix(field, (new Processor(*this))->release());
    }

    // A word's query in one field: stemmed for Latin words (as TermGenerator indexed Z-terms),
    // a phrase of bigrams for CJK words.
    Xapian::Query word_query(const analysis::QueryWord& word, std::string_view field_prefix, bool stemmed) {
        if (word.kind == analysis::TokenKind::word) {
            Xapian::Query query = !stemmed || word.stem.empty() ? Xapian::Query(std::string(field_prefix) + word.text)
                                  : field_prefix.empty()        ? Xapian::Query(std::string(prefix::stem) + word.stem)
                                                                : stem_variants(word, field_prefix);
            return with_name_variant(std::move(query), word.variant, field_prefix);
        }
        std::vector<Xapian::Query> terms;
        for (const auto& term : word.terms) terms.emplace_back(std::string(field_prefix) + term);
        if (terms.size() == 1) return terms.front();
        Xapian::Query phrase(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), terms.size());
        if (terms.size() < 3) return phrase;
        // A long Han word the segmenter did not know (a name, a term of art) may be written with
        // a break in the document: its bigrams still count, the exact phrase counts double.
        return Xapian::Query(Xapian::Query::OP_OR, phrase, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    }

    // Field terms have no stemmed twins in the index (schema.hpp): the word becomes a synonym
    // group of the field's terms that share its stem ("learning" -> learn, learned, learns).
    Xapian::Query stem_variants(const analysis::QueryWord& word, std::string_view field_prefix) {
        const std::string exact = std::string(field_prefix) + word.text;
        if (!database) return Xapian::Query(exact);
        std::size_t common = 0;
        while (common < word.text.size() && common < word.stem.size() && word.text[common] == word.stem[common]) ++common;
        if (common < 3) return Xapian::Query(exact);
        const std::string start = std::string(field_prefix) + word.text.substr(0, common);
        std::vector<Xapian::Query> variants;
        constexpr std::size_t max_scanned = 200;
        std::size_t scanned = 0;
        for (auto it = database->allterms_begin(start); it != database->allterms_end(start) && scanned < max_scanned;
             ++it, ++scanned) {
            const std::string term = *it;
            const std::string body = term.substr(field_prefix.size());
            // A longer prefix ("XK" under "X") is another field, not a variant.
            if (!body.empty() && static_cast<unsigned char>(body[0]) >= 'A' && static_cast<unsigned char>(body[0]) <= 'Z') continue;
            if (body == word.text || analyzer.stem(body) == word.stem) variants.emplace_back(term);
        }
        if (variants.empty()) return Xapian::Query(exact);
        if (variants.size() == 1) return variants.front();
        return Xapian::Query(Xapian::Query::OP_SYNONYM, variants.begin(), variants.end());
    }

    // Name fields also hold the German spelling of umlauts (schema::has_name_variants): "Müller"
    // matches the Mueller of records written that way. An ASCII query word has no variant, so
    // "Muller" and "Mueller" each find Müller but not each other: "ue" typed in ASCII text is
    // as often plain "ue" (Samuel, Manuel) as an umlaut, and Muller is a surname of its own.
    // Inside a phrase Xapian 1.4 takes OP_OR of terms but not OP_SYNONYM.
    static Xapian::Query with_name_variant(Xapian::Query query, const std::string& variant, std::string_view field_prefix,
                                           Xapian::Query::op op = Xapian::Query::OP_SYNONYM) {
        if (variant.empty() || !schema::has_name_variants(field_prefix)) return query;
        return Xapian::Query(op, query, Xapian::Query(std::string(field_prefix) + variant));
    }

    // Free text also looks in author names and affiliations, weighted below the content fields;
    // `in_field(prefix)` gives the query in one of those fields. A field no record has costs
    // nothing to skip.
    template <class InField>
    Xapian::Query with_name_fields(Xapian::Query content, InField&& in_field) {
        std::vector<Xapian::Query> alternatives{content};
        if (ranking->author_weight > 0 && has_author_words)
            alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, in_field(prefix::author_words), ranking->author_weight);
        if (ranking->affiliation_weight > 0 && has_affiliations)
            alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, in_field(prefix::affiliation), ranking->affiliation_weight);
        if (alternatives.size() == 1) return content;
        return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    }

    // Names are matched as written (no stem variants: "Field" is not "fields").
    Xapian::Query free_word_query(const analysis::QueryWord& word) {
        return with_name_fields(word_query(word, "", true),
                                [&](std::string_view name_prefix) { return word_query(word, name_prefix, false); });
    }

    Xapian::Query text_query(const Item& item) {
        std::vector<analysis::QueryWord> query_words = analyzer.query_words(item.text);
        const std::string_view field_prefix = text_prefix(item.field);
        for (const auto& word : query_words) words->push_back(word.text);

        const bool all_latin = std::all_of(query_words.begin(), query_words.end(),
                                           [](const auto& w) { return w.kind == analysis::TokenKind::word; });
        // "state-of-the-art", "e-mail": one token of several words is a phrase, as in Xapian. In
        // free text it is a phrase in author names and affiliations too: "Ortega-Brandt" is
        // there, not in the content terms.
        if (query_words.size() > 1 && all_latin) {
            const std::vector<analysis::Token> tokens = phrase_tokens(item.text);
            if (item.field != Field::free) return phrase_of(tokens, field_prefix);
            return with_name_fields(phrase_of(tokens, ""),
                                    [&](std::string_view name_prefix) { return phrase_of(tokens, name_prefix); });
        }

        const bool any_cjk = std::any_of(query_words.begin(), query_words.end(),
                                         [](const auto& w) { return w.kind == analysis::TokenKind::cjk; });
        if (any_cjk) return cjk_text_query(item, query_words);

        std::vector<Xapian::Query> parts;
        for (const auto& word : query_words) {
            if (query_words.size() == 1 && item.field == Field::free && is_stop_word(word.text) && !only_stop_words)
                continue;
            parts.push_back(item.field == Field::free ? free_word_query(word) : word_query(word, field_prefix, true));
        }
        if (parts.empty()) return Xapian::Query();
        if (parts.size() == 1) return parts.front();
        return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    }

    // Han text: every bigram of the run, as the index has them, so a query word that the
    // segmenter splits differently from the document still matches; each dictionary word of
    // two or more bigrams adds its phrase, so exact words rank above scattered characters.
    Xapian::Query cjk_text_query(const Item& item, const std::vector<analysis::QueryWord>& query_words) {
        const std::string_view field_prefix = text_prefix(item.field);
        std::vector<analysis::Token> tokens;
        analyzer.analyze(item.text, tokens, 1);
        std::vector<Xapian::Query> parts;
        for (const auto& token : tokens) {
            analysis::QueryWord word{token.term, token.kind, {token.term}, token.stem, token.variant};
            parts.push_back(item.field == Field::free ? free_word_query(word) : word_query(word, field_prefix, true));
        }
        for (const auto& word : query_words) {
            if (word.kind != analysis::TokenKind::cjk || word.terms.size() < 2) continue;
            std::vector<Xapian::Query> terms;
            for (const auto& term : word.terms) terms.emplace_back(std::string(field_prefix) + term);
            parts.emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), terms.size());
        }
        if (parts.empty()) return Xapian::Query();
        if (parts.size() == 1) return parts.front();
        return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    }

    // Positions come from the indexing path itself, so a phrase matches exactly the positions
    // the indexer wrote (CJK bigrams use one position per character).
    std::vector<analysis::Token> phrase_tokens(const std::string& text) {
        std::vector<analysis::Token> tokens;
        analyzer.analyze(text, tokens, 1);
        return tokens;
    }

    Xapian::Query phrase_query(const std::string& text, std::string_view field_prefix,
                               Xapian::Query::op op = Xapian::Query::OP_PHRASE, unsigned window = 0) {
        const std::vector<analysis::Token> tokens = phrase_tokens(text);
        for (const auto& token : tokens) words->push_back(token.term);
        return phrase_of(tokens, field_prefix, op, window);
    }

    Xapian::Query phrase_of(const std::vector<analysis::Token>& tokens, std::string_view field_prefix,
                            Xapian::Query::op op = Xapian::Query::OP_PHRASE, unsigned window = 0) {
        if (tokens.empty()) return Xapian::Query();
        std::vector<Xapian::Query> terms;
        for (const auto& token : tokens)
            terms.push_back(with_name_variant(Xapian::Query(std::string(field_prefix) + token.term), token.variant,
                                              field_prefix, Xapian::Query::OP_OR));
        if (terms.size() == 1) return terms.front();
        const Xapian::termcount span = tokens.back().position - tokens.front().position + 1;
        const Xapian::termcount width = std::max<Xapian::termcount>(span, window);
        if (!field_prefix.empty() && field_prefix != prefix::abstract) return Xapian::Query(op, terms.begin(), terms.end(), width);
        std::vector<Xapian::Query> unprefixed;
        for (const auto& token : tokens) unprefixed.emplace_back(token.term);
        const Xapian::Query positional(op, unprefixed.begin(), unprefixed.end(), width);
        const bool any_word = std::any_of(tokens.begin(), tokens.end(),
                                          [](const auto& token) { return token.kind == analysis::TokenKind::word; });
        if (abstract_positions || !any_word) {
            // Unprefixed terms have positions (CJK ones in every layout, schema.hpp); B terms
            // have none: in abstract: the words must also be B terms.
            if (field_prefix.empty()) return positional;
            return Xapian::Query(Xapian::Query::OP_FILTER, positional,
                                 Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()));
        }
        // Without abstract positions words have them only in the S and XK terms: the phrase is
        // found there, or checked on the abstract's text (AbstractPhraseSource). It ranks by its
        // words' unprefixed weights, as Xapian's phrase over unprefixed positions does.
        std::vector<std::string> phrase_words;
        for (const auto& token : tokens) phrase_words.push_back(token.term);
        if (!*abstract_checks) *abstract_checks = std::make_shared<AbstractPhraseChecks>(&analyzer);
        const Xapian::Query in_abstract =
            abstract_phrase_query(PositionalMatch{phrase_words, op != Xapian::Query::OP_NEAR, width}, *abstract_checks);
        Xapian::Query where = in_abstract;
        if (field_prefix.empty()) {
            std::vector<Xapian::Query> places{in_abstract};
            for (const std::string_view positional_field : {prefix::title, prefix::keyword_words}) {
                std::vector<Xapian::Query> field_terms;
                for (const auto& token : tokens) field_terms.emplace_back(std::string(positional_field) + token.term);
                places.emplace_back(op, field_terms.begin(), field_terms.end(), width);
            }
            where = Xapian::Query(Xapian::Query::OP_OR, places.begin(), places.end());
        }
        return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_AND, unprefixed.begin(), unprefixed.end()),
                             where);
    }

    Xapian::Query wildcard_query(const Item& item) {
        const std::string folded = analyzer.fold(item.text);
        std::vector<analysis::QueryWord> query_words = analyzer.query_words(folded);
        if (query_words.size() != 1 || query_words.front().kind != analysis::TokenKind::word)
            return text_query(item);
        words->push_back(query_words.front().text);
        const std::string pattern = std::string(text_prefix(item.field)) + query_words.front().text;
        if (!database)
            return Xapian::Query(Xapian::Query::OP_WILDCARD, pattern, max_wildcard_expansion,
                                 Xapian::Query::WILDCARD_LIMIT_ERROR);
        // Expanded here rather than by OP_WILDCARD: Xapian expands a wildcard in each database of
        // a stub apart and then weighs it without the statistics of the whole, so over shards the
        // scores differ from one index's. A synonym of the terms the whole index has is weighed
        // with combined statistics, like any term. The expansion is also the budget's count.
        std::vector<Xapian::Query> terms;
        for (auto it = database->allterms_begin(pattern); it != database->allterms_end(pattern); ++it) {
            if (terms.size() == wildcard_terms_left)
                return fail("wildcards match too many words: at most " + std::to_string(max_wildcard_expansion) +
                            " in one query, all wildcards together; use longer prefixes or fewer wildcards");
            terms.emplace_back(*it);
        }
        wildcard_terms_left -= static_cast<Xapian::termcount>(terms.size());
        if (terms.empty()) return Xapian::Query::MatchNothing;
        return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
    }

    // Prefix expansions are counted against a budget per query before Xapian expands them: one
    // wildcard is cheap, but a query of hundreds of them expands to hundreds of thousands of
    // postings lists (seconds of work and hundreds of MB for one request).
    Xapian::termcount wildcard_terms_left = max_wildcard_expansion;
    Xapian::termcount clc_terms_left = max_clc_expansion;
    bool spend(Xapian::termcount& budget, const std::string& pattern) {
        if (!database) return true;
        const Xapian::termcount terms = count_terms_with_prefix(*database, pattern, budget);
        if (terms > budget) return false;
        budget -= terms;
        return true;
    }

    // Xapian's QueryParser leaks its parse state when a FieldProcessor throws, so processors
    // record the problem here and build() throws after parse_query returns.
    std::string pending_error;
    std::exception_ptr pending_exception;
    Xapian::Query fail(std::string message) {
        if (pending_error.empty()) pending_error = std::move(message);
        return Xapian::Query::MatchNothing;
    }

    Xapian::Query year_query(const std::string& text) {
        YearRange years;
        try {
            years = parse_year_range(text);
        } catch (const QueryError&) {
            return fail("year: expected a year or a range FROM..TO, got \"" + text + "\"");
        }
        if (!years.range) return Xapian::Query(std::string(prefix::year) + std::to_string(*years.from));
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::slot(schema::Slot::year),
                             Xapian::sortable_serialise(years.from.value_or(0)),
                             Xapian::sortable_serialise(years.to.value_or(9999)));
    }

    Xapian::Query item_query(const Item& item) {
        switch (item.field) {
            case Field::doi: return Xapian::Query(index::boolean_term(prefix::doi, record::normalized_doi(item.text)));
            case Field::clc: {
                // CLC codes are hierarchical: clc:TP3 covers TP391.
                const std::string pattern = std::string(prefix::clc) + upper_ascii(analyzer.fold(item.text));
                if (!spend(clc_terms_left, pattern))
                    return fail("clc: prefixes cover too many codes: at most " + std::to_string(max_clc_expansion) +
                                " in one query; use longer codes");
                return Xapian::Query(Xapian::Query::OP_WILDCARD, pattern, 0, Xapian::Query::WILDCARD_LIMIT_ERROR);
            }
            case Field::venue: return Xapian::Query(std::string(prefix::venue) + analyzer.fold(item.text));
            case Field::year: return year_query(item.text);
            default: break;
        }
        switch (item.kind) {
            case ItemKind::phrase: return phrase_query(item.text, text_prefix(item.field));
            case ItemKind::near: return phrase_query(item.text, text_prefix(item.field), Xapian::Query::OP_NEAR, item.window);
            case ItemKind::adjacent: return phrase_query(item.text, text_prefix(item.field), Xapian::Query::OP_PHRASE, item.window);
            case ItemKind::wildcard: return wildcard_query(item);
            case ItemKind::text: return text_query(item);
        }
        return Xapian::Query();
    }

    // The plain free-text words of the query (no fields, phrases, wildcards or stop words). Up
    // to max_all_words of them make a search-box query: a user looking for one paper names words
    // it has, so a record with all of them earns their weights again (all_words_weight; the
    // searcher adds it). More make a question or a description (or a pasted title, which ranks
    // well without the bonus, docs/RANKING.md), where pseudo-relevance feedback helps instead.
    static constexpr std::size_t max_all_words = 6;
    void add_plain_word_queries(const std::vector<Item>& items, BuiltQuery& built) {
        std::vector<analysis::QueryWord> plain;
        for (const auto& item : items) {
            if (item.field != Field::free || item.kind != ItemKind::text) continue;
            for (auto& word : analyzer.query_words(item.text))
                if (word.kind == analysis::TokenKind::word && !is_stop_word(word.text)) plain.push_back(std::move(word));
        }
        built.verbose = plain.size() > max_all_words;
        if (ranking->all_words_weight <= 0 || built.query.empty() || plain.size() < 2 || built.verbose) return;
        std::vector<Xapian::Query> every;
        for (const auto& word : plain) every.push_back(free_word_query(word));
        built.all_words = Xapian::Query(Xapian::Query::OP_AND, every.begin(), every.end());
    }

    bool only_stop_words = false;

    Xapian::Query parse(const std::string& text, bool keep_structure, std::vector<Item>& items, BuiltQuery& built) {
        Lexer lexer(text, keep_structure);
        const std::string rewritten = lexer.run(items);
        built.correctable = lexer.correctable();
        wildcard_terms_left = max_wildcard_expansion;
        clc_terms_left = max_clc_expansion;
        only_stop_words = std::all_of(items.begin(), items.end(), [](const Item& item) {
            return item.kind == ItemKind::text && is_stop_word(item.text);
        });
        unsigned flags = keep_structure ? (Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |
                                           Xapian::QueryParser::FLAG_PURE_NOT)
                                        : 0u;
        return parser.parse_query(rewritten, flags);
    }
};

Xapian::termcount count_terms_with_prefix(const Xapian::Database& database, const std::string& prefix,
                                          Xapian::termcount limit) {
    Xapian::termcount count = 0;
    for (auto it = database.allterms_begin(prefix); it != database.allterms_end(prefix) && count <= limit; ++it) ++count;
    return count;
}

QueryBuilder::QueryBuilder() : impl_(std::make_unique<Impl>()) {}
QueryBuilder::~QueryBuilder() = default;

analysis::Analyzer& QueryBuilder::analyzer() { return impl_->analyzer; }

void QueryBuilder::set_database(const Xapian::Database& database) {
    impl_->database = database;
    impl_->has_author_words = has_field_terms(database, prefix::author_words);
    impl_->has_affiliations = has_field_terms(database, prefix::affiliation);
    impl_->abstract_positions = database.get_metadata(std::string(schema::abstract_positions_metadata_key)) != "0";
}

std::string normalize_query_text(const std::string& text) {
    if (text.size() > max_query_bytes)
        throw QueryError("query too long: " + std::to_string(text.size()) + " bytes, at most " +
                         std::to_string(max_query_bytes));
    std::string normalized = normalized_unchecked(text);
    // NFKC can multiply the text ("㌀" -> "アパート", U+FDFA -> 18 characters): the limit is
    // for what gets parsed and searched, so it applies after normalization too.
    if (normalized.size() > max_query_bytes)
        throw QueryError("query too long: " + std::to_string(normalized.size()) +
                         " bytes after Unicode normalization, at most " + std::to_string(max_query_bytes));
    return normalized;
}

BuiltQuery QueryBuilder::build(const std::string& text, const RankingOptions& ranking) {
    BuiltQuery built;
    built.text = normalize_query_text(text);
    const std::string& normalized = built.text;
    impl_->ranking = &ranking;
    impl_->words = &built.words;
    impl_->abstract_checks = &built.abstract_checks;
    impl_->pending_error.clear();
    impl_->pending_exception = nullptr;
    std::vector<Item> items;
    try {
        built.query = impl_->parse(normalized, true, items, built);
    } catch (const Xapian::QueryParserError&) {
        built.words.clear();
        built.abstract_checks.reset();
        items.clear();
        built.relaxed = true;
        try {
            built.query = impl_->parse(normalized, false, items, built);
        } catch (const Xapian::QueryParserError& error) {
            throw QueryError("cannot parse query: " + error.get_msg());
        }
    }
    if (impl_->pending_exception) std::rethrow_exception(std::exchange(impl_->pending_exception, nullptr));
    if (!impl_->pending_error.empty()) throw QueryError(impl_->pending_error);
    impl_->add_plain_word_queries(items, built);
    return built;
}

}  // namespace scholarsearch::search
