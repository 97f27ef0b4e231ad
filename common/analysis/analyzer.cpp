#include "analysis/analyzer.hpp"

#include "analysis/analyzer_testing.hpp"
#include "text/script.hpp"
#include "text/utf8.hpp"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/translit.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <utility>

/*
 * How normalization, segmentation and byte offsets fit together
 * -------------------------------------------------------------
 * 1. Ill-formed UTF-8 is repaired first, byte for byte: every byte of an ill-formed sequence
 *    becomes U+001A SUBSTITUTE (one byte). Like U+FFFD it has Word_Break=Other, so it separates
 *    words exactly as U+FFFD would and never becomes part of a term, but because it keeps the
 *    length, offsets into the repaired text are offsets into the caller's text.
 * 2. The whole text is normalized (NFKC_Casefold) with Normalizer2::normalizeUTF8, recording an
 *    icu::Edits. ICU records one change edit per normalization chunk (the span between two
 *    normalization boundaries: one full-width letter, or a base letter plus its combining
 *    marks), so the edits are an exact map from normalized bytes back to original bytes.
 * 3. Word segmentation runs on the NORMALIZED text (UText over UTF-8, no UTF-16 copy). It has to:
 *    NFKC changes word boundaries ("ＤＥＥＰ　ＬＥＡＲＮＩＮＧ" is ideographic text with an
 *    ideographic space before folding and two Latin words after it; a soft hyphen vanishes and
 *    joins "soft|hyphen" into one word). Segmenting the original and normalizing each segment
 *    would get those wrong.
 * 4. A token's normalized byte range is mapped back through the edits: a begin inside a change
 *    maps to the change's source start, an end inside a change to the change's source end, so a
 *    token always covers whole original characters (the full-width "Ｇ２５", not part of it).
 *
 * Fast paths (both produce exactly the tokens of the plain ICU pipeline; analyzer_test checks
 * this over many generated texts with analyzer_testing.hpp):
 * - ASCII: text without non-ASCII bytes is folded with a lower-case table (NFKC_Casefold maps
 *   only A-Z within ASCII) and segmented by ascii_words(), the UAX #29 rules restricted to ASCII.
 *   Mixed text is cut into chunks just before a space that follows a non-space, where UAX #29
 *   always breaks and no rule looks across, so ASCII chunks go the fast way and only the others
 *   through ICU.
 * - Han runs (index side only): ICU segments Han text with its dictionary, the slowest part of
 *   analysis, yet the index never uses that split (bigrams are built over the whole run). So a
 *   run of two or more Han characters bounded by non-dictionary characters is handed to the
 *   bigram rule directly; ICU gives every character of such a run an ideographic word status,
 *   so the run and its bigrams are the same. Runs with combining marks, or touching kana, go
 *   through ICU as before. The query side keeps ICU's words (QueryWord).
 */

namespace scholarsearch::analysis {

namespace {

using text::first_invalid_utf8;
using text::is_ascii;
using text::is_han;

std::atomic<bool> fast_paths_enabled{true};

/// Longer words are dropped: Xapian terms are limited to 245 bytes including prefixes, and
/// words this long are junk (base64, hashes, URLs glued together), not something anyone types.
constexpr std::size_t max_word_bytes = 64;

/// Stands in for each byte of an ill-formed UTF-8 sequence; see the comment at the top.
constexpr char invalid_byte_placeholder = '\x1A';

/// Largest text handled in one call; ICU indexes strings with int32_t.
constexpr std::size_t max_text_bytes = static_cast<std::size_t>(std::numeric_limits<int32_t>::max());

bool is_ascii8(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return (w & 0x8080808080808080ULL) == 0;
}

const std::uint8_t* bytes(std::string_view s) {
    return reinterpret_cast<const std::uint8_t*>(s.data());
}

/// Offset of the first code point of `s` past ASCII for which `stop(c)` holds (c < 0 for an
/// ill-formed sequence), or npos. ASCII is skipped eight bytes at a time.
template <class Stop>
std::size_t find_non_ascii(std::string_view s, Stop&& stop) {
    const std::uint8_t* p = bytes(s);
    const auto n = static_cast<int32_t>(s.size());
    int32_t i = 0;
    while (i < n) {
        if (i + 8 <= n && is_ascii8(s.data() + i)) {
            i += 8;
            continue;
        }
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (stop(c)) return static_cast<std::size_t>(start);
    }
    return std::string_view::npos;
}

/// Copies `s` to `out`, replacing ill-formed sequences (from `first_bad` on): with one
/// placeholder byte per bad byte when offsets must be kept, else with U+FFFD per sequence.
void repair_utf8(std::string_view s, std::size_t first_bad, bool keep_offsets, std::string& out) {
    out.assign(s.data(), first_bad);
    const std::uint8_t* p = bytes(s);
    const auto n = static_cast<int32_t>(s.size());
    auto i = static_cast<int32_t>(first_bad);
    while (i < n) {
        if (p[i] < 0x80) {
            out.push_back(s[static_cast<std::size_t>(i++)]);
            continue;
        }
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c >= 0) {
            out.append(s.data() + start, static_cast<std::size_t>(i - start));
        } else if (keep_offsets) {
            out.append(static_cast<std::size_t>(i - start), invalid_byte_placeholder);
        } else {
            out.append("\xEF\xBF\xBD");
        }
    }
}

/// Characters that attach to the character before them in word segmentation (UAX #29 WB4).
bool is_rider(UChar32 c) {
    const auto wb = u_getIntPropertyValue(c, UCHAR_WORD_BREAK);
    return wb == U_WB_EXTEND || wb == U_WB_FORMAT || wb == U_WB_ZWJ;
}

/// Whether a code point belongs to the CJK scripts that get bigrams. Common/Inherited
/// characters used only with those scripts (the katakana length mark in "コーヒー") count too,
/// so such a word stays one CJK run instead of being cut into pieces.
bool is_cjk_char(UChar32 c) {
    if (c >= 0x4E00 && c <= 0x9FFF) return true;  // the common case, without a lookup
    UErrorCode status = U_ZERO_ERROR;
    switch (uscript_getScript(c, &status)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
        return true;
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
        return uscript_hasScript(c, USCRIPT_HAN) || uscript_hasScript(c, USCRIPT_HIRAGANA) ||
               uscript_hasScript(c, USCRIPT_KATAKANA) || uscript_hasScript(c, USCRIPT_HANGUL);
    default:
        return false;
    }
}

/// A word segment is CJK when every character is CJK (riders such as combining marks go
/// with them). ICU never puts Han and Latin letters into one word segment.
bool is_cjk_segment(std::string_view seg) {
    const std::uint8_t* p = bytes(seg);
    const auto n = static_cast<int32_t>(seg.size());
    bool any_cjk = false;
    for (int32_t i = 0; i < n;) {
        if (p[i] < 0x80) return false;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (is_cjk_char(c)) {
            any_cjk = true;
        } else if (!is_rider(c)) {
            return false;
        }
    }
    return any_cjk;
}

/// Characters ICU's word rules hand to a dictionary break engine (word.txt: $dictionary).
bool is_dictionary_char(UChar32 c) {
    if (c >= 0x4E00 && c <= 0x9FFF) return true;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
           u_getIntPropertyValue(c, UCHAR_WORD_BREAK) == U_WB_KATAKANA ||
           u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT;
}

/// Words get an English stem only if they contain a Latin letter: stemming "2012" or a Greek
/// word is pointless and would only add terms.
bool has_latin_letter(std::string_view word) {
    const std::uint8_t* p = bytes(word);
    const auto n = static_cast<int32_t>(word.size());
    for (int32_t i = 0; i < n;) {
        const std::uint8_t b = p[i];
        if (b < 0x80) {
            if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') return true;
            ++i;
            continue;
        }
        UChar32 c;
        U8_NEXT(p, i, n, c);
        UErrorCode status = U_ZERO_ERROR;
        if (u_isalpha(c) && uscript_getScript(c, &status) == USCRIPT_LATIN) return true;
    }
    return false;
}

/// UAX #29 word-break classes of ASCII characters, as far as they matter for word segments.
enum class Ascii : std::uint8_t {
    other,       ///< spaces, controls, most punctuation: never part of a word
    letter,      ///< ALetter: A-Z, a-z and, in ICU's rules, "@"
    digit,       ///< Numeric
    underscore,  ///< ExtendNumLet
    mid_num_let, ///< "." (MidNumLet) and "'" (Single_Quote): inside letters or digits
    mid_num,     ///< "," ";" (MidNum): inside digits only. ":" (MidLetter in UAX #29) is
                 ///< excluded by ICU's rules, so it stays `other`.
};

constexpr std::array<Ascii, 128> make_ascii_classes() {
    std::array<Ascii, 128> classes{};
    for (int c = 'a'; c <= 'z'; ++c) classes[static_cast<std::size_t>(c)] = Ascii::letter;
    for (int c = 'A'; c <= 'Z'; ++c) classes[static_cast<std::size_t>(c)] = Ascii::letter;
    classes['@'] = Ascii::letter;  // ICU's word rules count "@" as ALetter (e-mail addresses)
    for (int c = '0'; c <= '9'; ++c) classes[static_cast<std::size_t>(c)] = Ascii::digit;
    classes['_'] = Ascii::underscore;
    classes['.'] = Ascii::mid_num_let;
    classes['\''] = Ascii::mid_num_let;
    classes[','] = Ascii::mid_num;
    classes[';'] = Ascii::mid_num;
    return classes;
}

constexpr std::array<Ascii, 128> ascii_classes = make_ascii_classes();

bool is_word_class(Ascii c) {
    return c == Ascii::letter || c == Ascii::digit || c == Ascii::underscore;
}

constexpr std::array<char, 128> make_ascii_lower() {
    std::array<char, 128> lower{};
    for (int c = 0; c < 128; ++c) {
        lower[static_cast<std::size_t>(c)] =
            static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return lower;
}

constexpr std::array<char, 128> ascii_lower = make_ascii_lower();

/// One character of a CJK run, as a byte range of the normalized text.
struct CjkChar {
    int32_t begin;
    int32_t end;
};

/**
 * THE CJK RULE, in one place, for the index and the query side alike.
 *
 * A run of n consecutive CJK characters yields its overlapping character bigrams, bigram i
 * (characters i and i+1) at offset i; a run of one character yields that character. Because
 * every 2+ character substring of the run is then a phrase of consecutive bigrams, a query
 * word is found wherever its characters occur, however ICU happened to segment the document
 * (its dictionary splits text differently depending on context). Calls
 * `emit(first_char, last_char, offset)` with an inclusive character range.
 */
template <class Emit>
void for_each_cjk_term(std::size_t run_length, Emit&& emit) {
    if (run_length == 1) {
        emit(std::size_t{0}, std::size_t{0}, std::size_t{0});
        return;
    }
    for (std::size_t i = 0; i + 1 < run_length; ++i) emit(i, i + 1, i);
}

/// Maps byte offsets of the normalized text back to the text given to the analyzer.
class SourceMap {
public:
    SourceMap() = default;
    explicit SourceMap(const icu::Edits& edits) : identity_(false), it_(edits.getFineIterator()) {}

    /// Original offset of the character starting at normalized offset `d`.
    std::uint32_t begin_of(int32_t d) {
        if (identity_) return static_cast<std::uint32_t>(d);
        UErrorCode status = U_ZERO_ERROR;
        if (!it_.findDestinationIndex(d, status) || U_FAILURE(status)) {
            return static_cast<std::uint32_t>(d);
        }
        if (it_.hasChange()) return static_cast<std::uint32_t>(it_.sourceIndex());
        return static_cast<std::uint32_t>(it_.sourceIndex() + (d - it_.destinationIndex()));
    }

    /// Original offset just after the character ending at normalized offset `d` (d > 0).
    std::uint32_t end_of(int32_t d) {
        if (identity_) return static_cast<std::uint32_t>(d);
        UErrorCode status = U_ZERO_ERROR;
        if (!it_.findDestinationIndex(d - 1, status) || U_FAILURE(status)) {
            return static_cast<std::uint32_t>(d);
        }
        if (it_.hasChange()) return static_cast<std::uint32_t>(it_.sourceIndex() + it_.oldLength());
        return static_cast<std::uint32_t>(it_.sourceIndex() + (d - it_.destinationIndex()));
    }

private:
    bool identity_ = true;
    icu::Edits::Iterator it_;
};

/**
 * Direct-mapped cache in front of a per-word function (the Snowball stemmer, the Latin-ASCII
 * transform). Stemming was over half the time of English analysis, while word frequencies are
 * Zipfian, so a few thousand slots catch most words. Direct mapping keeps memory fixed (no
 * growth, no rehash); a collision costs a recomputation. `Compute` is a type, not a
 * std::function, so a hit costs no indirect call (a few percent of English analysis).
 */
template <class Compute, std::size_t slot_bits>
class WordCache {
public:
    explicit WordCache(Compute compute) : compute_(std::move(compute)), slots_(mask_ + 1) {}

    const std::string& get(const std::string& word) {
        Slot& slot = slots_[std::hash<std::string>{}(word) & mask_];
        if (!slot.used || slot.word != word) {
            slot.word = word;
            slot.value = compute_(word);
            slot.used = true;
        }
        return slot.value;
    }

private:
    struct Slot {
        std::string word;
        std::string value;
        bool used = false;
    };
    Compute compute_;
    static constexpr std::size_t mask_ = (std::size_t{1} << slot_bits) - 1;
    std::vector<Slot> slots_;
};

void check(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) {
        throw std::runtime_error(std::string("analyzer: ") + what + ": " + u_errorName(status));
    }
}

/// Whether a folded word needs the Latin-ASCII transform: only non-ASCII words with a Latin
/// letter ("café", "don’t"), so ASCII text and other scripts never pay for it.
bool needs_latin_fold(std::string_view word) {
    return !is_ascii(word) && has_latin_letter(word);
}

/// The German ASCII spelling of a folded word's umlauts (ä ö ü -> ae oe ue; ß is already "ss"
/// after case folding), or "" when it has none. The result may still hold other accents.
std::string german_spelling(std::string_view word) {
    std::string out;
    bool any = false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (word[i] == '\xC3' && i + 1 < word.size()) {
            const char next = word[i + 1];
            const char* replacement = next == '\xA4' ? "ae" : next == '\xB6' ? "oe" : next == '\xBC' ? "ue" : nullptr;
            if (replacement) {
                out += replacement;
                ++i;
                any = true;
                continue;
            }
        }
        out += word[i];
    }
    if (!any) out.clear();
    return out;
}

/// ICU's Latin-ASCII transform, built once per process: creating one parses its rules (~20 ms),
/// cloning it takes ~50 µs. Each Analyzer uses its own clone, since a Transliterator must not
/// serve two threads at once.
const icu::Transliterator& latin_ascii_prototype() {
    static const std::unique_ptr<const icu::Transliterator> prototype = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<const icu::Transliterator> made(
            icu::Transliterator::createInstance("Latin-ASCII", UTRANS_FORWARD, status));
        check(status, "Latin-ASCII transliterator");
        return made;
    }();
    return *prototype;
}

/// An Analyzer's Latin-ASCII transform, made the first time a word needs it (most text never
/// does). The transform takes ~12 µs a word, so its results are cached like stems.
class LatinFolder {
public:
    LatinFolder() = default;
    LatinFolder(const LatinFolder&) = delete;
    LatinFolder& operator=(const LatinFolder&) = delete;

    const std::string& fold(const std::string& word) { return folds_.get(word); }

private:
    std::string transform(const std::string& word) {
        buffer_ = icu::UnicodeString::fromUTF8(word);
        transliterator_->transliterate(buffer_);
        std::string out;
        buffer_.toUTF8String(out);
        return out.empty() ? word : out;
    }

    std::unique_ptr<icu::Transliterator> transliterator_{latin_ascii_prototype().clone()};
    icu::UnicodeString buffer_;
    struct Transform {
        LatinFolder* folder;
        std::string operator()(const std::string& word) const { return folder->transform(word); }
    };
    WordCache<Transform, 12> folds_{Transform{this}};
};

/**
 * Traditional Chinese characters in their simplified form, one character at a time, from ICU's
 * "Traditional-Simplified" transform: built once per process (creating the transform ~22 ms, then
 * each of the ~3500 characters it can change, about 2 ms) into a table, so analysis pays one
 * lookup per Han character instead of ICU's ~0.3 µs. Only Han characters are mapped (the
 * transform also turns 「」 into “”, which is punctuation, not script) and only to a character of
 * the same UTF-8 length, so byte offsets into the text as written stay valid (ICU 72 has no other
 * kind; a mapping that would change the length is left out).
 *
 * Why characters, not ICU's phrase rules (计画 for 計畫 where ICU writes 计划): a phrase rule makes
 * a character's term depend on its neighbours, and bigrams need the opposite. 統計畫面 would index
 * 统计划面 (ICU's rule for 計畫 fires across the word boundary), so the query 畫面 (画面) would no
 * longer find a record it found before. Phrase rules also break simplified text: ICU maps 顯著 to
 * 显著 by a phrase but 著 alone to 着, so 显著 as written in simplified text would become 显着 and
 * miss 顯著. One character, one replacement, the same in every context, keeps both properties:
 * a substring of a text gets the terms of that substring of the text's terms, and applying the
 * mapping again changes nothing. Chains are followed to their end and ICU's one cycle (苎 <-> 苧)
 * is closed on its smaller code point, so every character of a group has one representative.
 */
class HanSimplifier {
public:
    static const HanSimplifier& instance() {
        static const HanSimplifier made;
        return made;
    }

    /// The simplified form of `c`, or `c` itself.
    UChar32 map(UChar32 c) const {
        if (c >= bmp_first_ && c < bmp_first_ + static_cast<UChar32>(bmp_.size())) {
            const char16_t to = bmp_[static_cast<std::size_t>(c - bmp_first_)];
            return to ? to : c;
        }
        if (c < 0x10000 || others_.empty()) return c;
        const auto found = std::lower_bound(others_.begin(), others_.end(), std::pair<UChar32, UChar32>{c, 0});
        return found != others_.end() && found->first == c ? found->second : c;
    }

private:
    HanSimplifier() {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> transform(
            icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
        check(status, "Traditional-Simplified transliterator");
        icu::UnicodeSet sources;
        transform->getSourceSet(sources);
        std::unordered_map<UChar32, UChar32> step;  // one application of the transform
        icu::UnicodeString buffer;
        for (int32_t r = 0; r < sources.getRangeCount(); ++r) {
            for (UChar32 c = sources.getRangeStart(r); c <= sources.getRangeEnd(r); ++c) {
                if (!is_han(c)) continue;
                buffer.setTo(c);
                transform->transliterate(buffer);
                if (buffer.countChar32() != 1) continue;
                const UChar32 to = buffer.char32At(0);
                if (to != c && is_han(to) && U8_LENGTH(to) == U8_LENGTH(c)) step.emplace(c, to);
            }
        }
        std::vector<std::pair<UChar32, UChar32>> pairs;
        for (const auto& [from, first_to] : step) {
            // Follow the chain to a character the transform keeps, or around a cycle.
            std::vector<UChar32> seen{from};
            UChar32 at = first_to;
            while (step.count(at) && std::find(seen.begin(), seen.end(), at) == seen.end()) {
                seen.push_back(at);
                at = step.at(at);
            }
            if (const auto cycle = std::find(seen.begin(), seen.end(), at); cycle != seen.end())
                at = *std::min_element(cycle, seen.end());
            if (at != from) pairs.emplace_back(from, at);
        }
        std::sort(pairs.begin(), pairs.end());
        UChar32 bmp_last = 0;
        for (const auto& [from, to] : pairs) {
            if (from >= 0x10000) {
                others_.emplace_back(from, to);
                continue;
            }
            if (bmp_last == 0) bmp_first_ = from;
            bmp_last = from;
        }
        if (bmp_last) bmp_.assign(static_cast<std::size_t>(bmp_last - bmp_first_ + 1), 0);
        for (const auto& [from, to] : pairs)
            if (from < 0x10000) bmp_[static_cast<std::size_t>(from - bmp_first_)] = static_cast<char16_t>(to);
    }

    UChar32 bmp_first_ = 0;
    std::vector<char16_t> bmp_;                        // indexed from bmp_first_; 0 = unchanged
    std::vector<std::pair<UChar32, UChar32>> others_;  // supplementary characters, sorted
};

/// Offset of the first character of well-formed `text` that simplify_han would change, or npos.
/// Text without CJK characters (all below U+2E80) never builds the table.
std::size_t first_traditional(std::string_view text) {
    const HanSimplifier* table = nullptr;
    return find_non_ascii(text, [&](UChar32 c) {
        if (c < 0x2E80) return false;
        if (!table) table = &HanSimplifier::instance();
        return table->map(c) != c;
    });
}

/// Replaces each Han character of well-formed `text` by its simplified form, in place (every
/// replacement has the length of what it replaces).
void simplify_han(std::string& text) {
    const std::size_t first = first_traditional(text);
    if (first == std::string_view::npos) return;
    const HanSimplifier& table = HanSimplifier::instance();
    auto* p = reinterpret_cast<std::uint8_t*>(text.data());
    const auto n = static_cast<int32_t>(text.size());
    for (auto i = static_cast<int32_t>(first); i < n;) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        const int32_t start = i;
        UChar32 c;
        U8_NEXT_UNSAFE(p, i, c);
        const UChar32 to = table.map(c);
        if (to == c) continue;
        int32_t at = start;
        U8_APPEND_UNSAFE(p, at, to);
    }
}

}  // namespace

namespace testing {
void set_fast_paths_enabled(bool enabled) {
    fast_paths_enabled.store(enabled);
}
}  // namespace testing

struct Analyzer::Impl {
    const icu::Normalizer2* nfkc_cf_ = nullptr;
    std::unique_ptr<icu::BreakIterator> words_;
    UText utext_ = UTEXT_INITIALIZER;
    icu::Edits edits_;
    Xapian::Stem stemmer_{"english"};
    struct Stemmer {
        Xapian::Stem* stemmer;
        std::string operator()(const std::string& word) const { return (*stemmer)(word); }
    };
    WordCache<Stemmer, 14> stems_{Stemmer{&stemmer_}};
    std::unique_ptr<LatinFolder> latin_;
    const bool fast_paths_ = fast_paths_enabled.load();

    // Buffers reused across calls so analysis does not allocate per document.
    std::string repaired_;
    std::string normalized_;
    std::vector<CjkChar> run_;
    std::vector<std::size_t> run_segment_starts_;  // query side: ICU words inside the run

    std::string_view text_;  // the normalized text being segmented

    Impl() {
        UErrorCode status = U_ZERO_ERROR;
        nfkc_cf_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
        check(status, "NFKC_Casefold normalizer");
        // Root rules already use the CJK dictionary for Han/kana; no locale tailoring needed.
        words_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        check(status, "word break iterator");
    }
    ~Impl() { utext_close(&utext_); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    /// Repaired (well-formed) view of `text`; `keep_offsets` as in repair_utf8.
    std::string_view well_formed(std::string_view text, bool keep_offsets) {
        if (text.size() > max_text_bytes) text = text.substr(0, max_text_bytes);
        const std::size_t bad = first_invalid_utf8(text);
        if (bad == std::string_view::npos) return text;
        repair_utf8(text, bad, keep_offsets, repaired_);
        return repaired_;
    }

    /// NFKC_Casefold of well-formed `text`, Han characters in their simplified form. With
    /// `with_edits`, edits_ maps the result back; `identity` is set when offsets are unchanged
    /// (then edits_ is not needed).
    std::string_view normalize(std::string_view text, bool with_edits, bool& identity) {
        identity = true;
        if (fast_paths_ && is_ascii(text)) {
            // Within ASCII, NFKC_Casefold only lower-cases A-Z: same length, same offsets.
            normalized_.resize(text.size());
            for (std::size_t i = 0; i < text.size(); ++i) {
                normalized_[i] = ascii_lower[static_cast<unsigned char>(text[i])];
            }
            return normalized_;
        }
        UErrorCode status = U_ZERO_ERROR;
        const icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
        // Much CJK text is already normalized; the check stops at the first character that
        // would change, so it costs little when it fails.
        if (nfkc_cf_->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return simplified(text);
        status = U_ZERO_ERROR;
        normalized_.clear();
        edits_.reset();
        icu::StringByteSink<std::string> sink(&normalized_, static_cast<int32_t>(text.size()));
        nfkc_cf_->normalizeUTF8(0, piece, sink, with_edits ? &edits_ : nullptr, status);
        if (U_FAILURE(status)) return simplified(text);  // only on allocation failure: the raw text
        identity = false;
        simplify_han(normalized_);
        return normalized_;
    }

    /// `text` (not normalized_) with traditional Han characters simplified, copied into
    /// normalized_ only when one occurs. After NFKC, so compatibility ideographs are unified
    /// ones, and before segmentation, so both scripts give the same words and bigrams.
    std::string_view simplified(std::string_view text) {
        if (first_traditional(text) == std::string_view::npos) return text;
        normalized_.assign(text);
        simplify_han(normalized_);
        return normalized_;
    }

    /// THE rule for what a word becomes after NFKC_Casefold, index and query side alike: Latin
    /// letters folded to ASCII, the German spelling of umlauts as `variant` (only when there is
    /// one), and the English stem of the folded word.
    void finish_word(std::string& term, std::string& variant, std::string& stem) {
        if (needs_latin_fold(term)) {
            if (!latin_) latin_ = std::make_unique<LatinFolder>();
            std::string german = german_spelling(term);
            if (!german.empty()) variant = needs_latin_fold(german) ? latin_->fold(german) : std::move(german);
            term = latin_->fold(term);
            if (variant == term) variant.clear();
        }
        if (has_latin_letter(term)) stem = stems_.get(term);
    }

    std::string_view slice(int32_t begin, int32_t end) const {
        return text_.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
    }

    // ---- segmentation: calls on_word(begin, end, is_cjk) for each word of text_, in order ----

    template <class OnWord>
    void for_each_word(bool direct_han_runs, OnWord&& on_word) {
        const auto n = static_cast<int32_t>(text_.size());
        if (!fast_paths_) {
            icu_words(0, n, on_word);
            return;
        }
        if (is_ascii(text_)) {
            ascii_words(0, n, on_word);
            return;
        }
        // Chunks end just before a space that follows a non-space (see the top comment);
        // consecutive non-ASCII chunks are merged so ICU is set up as rarely as possible.
        const char* t = text_.data();
        int32_t icu_begin = -1;  // start of the pending ICU region, if any
        int32_t chunk_begin = 0;
        while (chunk_begin < n) {
            int32_t i = chunk_begin + 1;
            bool ascii = static_cast<unsigned char>(t[chunk_begin]) < 0x80;
            for (; i < n; ++i) {
                const auto b = static_cast<unsigned char>(t[i]);
                if (b == ' ' && t[i - 1] != ' ') break;
                ascii = ascii && b < 0x80;
            }
            if (ascii) {
                if (icu_begin >= 0) icu_region(icu_begin, chunk_begin, direct_han_runs, on_word);
                icu_begin = -1;
                ascii_words(chunk_begin, i, on_word);
            } else if (icu_begin < 0) {
                icu_begin = chunk_begin;
            }
            chunk_begin = i;
        }
        if (icu_begin >= 0) icu_region(icu_begin, n, direct_han_runs, on_word);
    }

    /// UAX #29 word segmentation restricted to ASCII (rules WB5-WB13b), reporting only the
    /// segments ICU gives a word status: those containing a letter or digit, and runs of two
    /// or more "_" (a lone "_" has status none).
    template <class OnWord>
    void ascii_words(int32_t begin, int32_t end, OnWord& on_word) {
        const char* t = text_.data();
        auto cls = [t](int32_t i) { return ascii_classes[static_cast<unsigned char>(t[i])]; };
        int32_t i = begin;
        while (i < end) {
            Ascii prev = cls(i);
            if (!is_word_class(prev)) {
                ++i;
                continue;
            }
            const int32_t start = i++;
            while (i < end) {
                const Ascii c = cls(i);
                if (is_word_class(c)) {  // WB5, WB8, WB9, WB10, WB13a, WB13b
                    prev = c;
                    ++i;
                    continue;
                }
                if ((c == Ascii::mid_num_let || c == Ascii::mid_num) && i + 1 < end) {
                    const Ascii after = cls(i + 1);
                    const bool letters = c == Ascii::mid_num_let && prev == Ascii::letter &&
                                         after == Ascii::letter;                     // WB6/7
                    const bool digits = prev == Ascii::digit && after == Ascii::digit;  // WB11/12
                    if (letters || digits) {
                        prev = after;
                        i += 2;
                        continue;
                    }
                }
                break;
            }
            if (i - start >= 2 || prev != Ascii::underscore) on_word(start, i, false);
        }
    }

    /// ICU segmentation of [begin, end), which must start and end at word boundaries.
    template <class OnWord>
    void icu_words(int32_t begin, int32_t end, OnWord& on_word) {
        UErrorCode status = U_ZERO_ERROR;
        utext_openUTF8(&utext_, text_.data() + begin, end - begin, &status);
        check(status, "utext_openUTF8");
        words_->setText(&utext_, status);
        check(status, "BreakIterator::setText");
        int32_t b = words_->first();
        for (int32_t e = words_->next(); e != icu::BreakIterator::DONE; b = e, e = words_->next()) {
            const int32_t rule = words_->getRuleStatus();
            if (rule >= UBRK_WORD_NONE && rule < UBRK_WORD_NONE_LIMIT) continue;
            const std::string_view seg = slice(begin + b, begin + e);
            on_word(begin + b, begin + e, !is_ascii(seg) && is_cjk_segment(seg));
        }
    }

    /// A non-ASCII region: with `direct_han_runs`, runs of 2+ Han characters that border no
    /// other dictionary character and carry no combining marks go straight to the bigram rule;
    /// the rest goes through ICU. Runs touching kana or Thai are left to ICU, whose dictionary
    /// segments those scripts together and whose rules join katakana with "_".
    template <class OnWord>
    void icu_region(int32_t begin, int32_t end, bool direct_han_runs, OnWord& on_word) {
        if (!direct_han_runs) {
            icu_words(begin, end, on_word);
            return;
        }
        const std::uint8_t* p = bytes(text_);
        int32_t rest = begin;  // start of the text not yet handed on
        int32_t i = begin;
        while (i < end) {
            if (p[i] < 0x80) {
                ++i;
                continue;
            }
            const int32_t run_begin = i;
            int32_t chars = 0;
            bool all_han = true;
            while (i < end) {
                int32_t next = i;
                UChar32 c;
                U8_NEXT(p, next, end, c);
                if (is_dictionary_char(c)) {
                    all_han = all_han && is_han(c);
                    ++chars;
                } else if (chars > 0 && is_rider(c)) {
                    // ICU's dictionary gives words with combining marks odd statuses (even
                    // "none"); leave such runs to ICU rather than second-guess it.
                    all_han = false;
                } else {
                    if (chars == 0) i = next;  // not a dictionary character: skip it
                    break;
                }
                i = next;
            }
            if (chars >= 2 && all_han) {
                if (rest < run_begin) icu_words(rest, run_begin, on_word);
                on_word(run_begin, i, true);
                rest = i;
            }
        }
        if (rest < end) icu_words(rest, end, on_word);
    }

    // ---- index side --------------------------------------------------------------------------

    /// Appends the characters of CJK word [begin, end) to run_; riders (combining marks) stay
    /// with the character before them so a bigram never separates a letter from its mark.
    void append_run_chars(int32_t begin, int32_t end) {
        const std::uint8_t* p = bytes(text_);
        for (int32_t i = begin; i < end;) {
            const int32_t start = i;
            UChar32 c;
            U8_NEXT(p, i, end, c);
            if (!run_.empty() && run_.back().end == start && is_rider(c)) {
                run_.back().end = i;
            } else {
                run_.push_back({start, i});
            }
        }
    }

    std::string_view run_slice(std::size_t first, std::size_t last) const {
        return slice(run_[first].begin, run_[last].end);
    }

    void flush_index_run(std::vector<Token>& out, std::uint32_t& position, SourceMap& map) {
        if (run_.empty()) return;
        for_each_cjk_term(run_.size(), [&](std::size_t first, std::size_t last, std::size_t offset) {
            Token& token = out.emplace_back();
            token.term.assign(run_slice(first, last));
            token.position = position + static_cast<std::uint32_t>(offset);
            token.byte_begin = map.begin_of(run_[first].begin);
            token.byte_end = map.end_of(run_[last].end);
            token.kind = TokenKind::cjk;
        });
        position += static_cast<std::uint32_t>(run_.size());
        run_.clear();
    }

    std::uint32_t analyze(std::string_view input, std::vector<Token>& out, std::uint32_t position) {
        const std::string_view text = well_formed(input, /*keep_offsets=*/true);
        bool identity = true;
        text_ = normalize(text, /*with_edits=*/true, identity);
        SourceMap map = identity ? SourceMap() : SourceMap(edits_);
        run_.clear();

        for_each_word(/*direct_han_runs=*/true, [&](int32_t begin, int32_t end, bool cjk) {
            if (cjk) {
                // ICU splits Han text into dictionary words; the run across them is what counts,
                // so only a gap (space, punctuation, another kind of word) ends it.
                if (!run_.empty() && run_.back().end != begin) flush_index_run(out, position, map);
                append_run_chars(begin, end);
                return;
            }
            flush_index_run(out, position, map);
            // Dropped words take no position: the query side drops them too, so a phrase
            // around one still matches.
            if (static_cast<std::size_t>(end - begin) > max_word_bytes) return;
            Token& token = out.emplace_back();
            token.term.assign(slice(begin, end));
            finish_word(token.term, token.variant, token.stem);
            token.position = position++;
            token.byte_begin = map.begin_of(begin);
            token.byte_end = map.end_of(end);
            token.kind = TokenKind::word;
        });
        flush_index_run(out, position, map);
        return position;
    }

    // ---- query side --------------------------------------------------------------------------

    /**
     * Query words of the current CJK run: one QueryWord per ICU word, its bigrams to be searched
     * as a phrase, a one-character word as a unigram. Exception: when ICU splits the whole run
     * into single characters ("了一" -> 了|一), the run becomes one QueryWord of bigrams. The
     * index holds unigrams only for runs of one character, so those unigrams alone could never
     * match, while the run's bigrams match wherever its text occurs; this is what makes every
     * two-character query findable. Single characters next to a longer word stay unigrams
     * (mostly particles such as 的 or 了, which the query builder may drop).
     */
    void flush_query_run(std::vector<QueryWord>& out) {
        if (run_.empty()) return;
        const std::size_t n = run_.size();
        run_segment_starts_.push_back(n);  // sentinel: end of the last word

        auto emit = [&](std::size_t first, std::size_t stop) {
            QueryWord& word = out.emplace_back();
            word.kind = TokenKind::cjk;
            word.text.assign(run_slice(first, stop - 1));
            for_each_cjk_term(stop - first, [&](std::size_t a, std::size_t b, std::size_t) {
                word.terms.emplace_back(run_slice(first + a, first + b));
            });
        };
        const std::size_t words = run_segment_starts_.size() - 1;
        if (words == n) {  // only single characters (or one character): the run as one word
            emit(0, n);
        } else {
            for (std::size_t s = 0; s < words; ++s) {
                emit(run_segment_starts_[s], run_segment_starts_[s + 1]);
            }
        }
        run_.clear();
        run_segment_starts_.clear();
    }

    std::vector<QueryWord> query_words(std::string_view input) {
        std::vector<QueryWord> out;
        const std::string_view text = well_formed(input, /*keep_offsets=*/true);
        bool identity = true;
        text_ = normalize(text, /*with_edits=*/false, identity);
        run_.clear();
        run_segment_starts_.clear();

        // ICU's dictionary words are kept on this side (no direct Han runs): they decide how
        // the query is split into phrases.
        for_each_word(/*direct_han_runs=*/false, [&](int32_t begin, int32_t end, bool cjk) {
            if (cjk) {
                if (!run_.empty() && run_.back().end != begin) flush_query_run(out);
                run_segment_starts_.push_back(run_.size());
                append_run_chars(begin, end);
                return;
            }
            flush_query_run(out);
            if (static_cast<std::size_t>(end - begin) > max_word_bytes) return;
            QueryWord& word = out.emplace_back();
            word.text.assign(slice(begin, end));
            word.kind = TokenKind::word;
            finish_word(word.text, word.variant, word.stem);
            word.terms.push_back(word.text);
        });
        flush_query_run(out);
        return out;
    }

    std::string fold(std::string_view input) {
        const std::string_view text = well_formed(input, /*keep_offsets=*/false);
        bool identity = true;
        const std::string_view normalized = normalize(text, /*with_edits=*/false, identity);
        std::string out;
        out.reserve(normalized.size());
        const std::uint8_t* p = bytes(normalized);
        const auto n = static_cast<int32_t>(normalized.size());
        bool space_pending = false;
        for (int32_t i = 0; i < n;) {
            const int32_t start = i;
            UChar32 c;
            U8_NEXT(p, i, n, c);
            if (u_isUWhiteSpace(c)) {
                space_pending = !out.empty();  // drops leading whitespace, collapses runs
                continue;
            }
            if (space_pending) out.push_back(' ');
            space_pending = false;
            out.append(normalized.data() + start, static_cast<std::size_t>(i - start));
        }
        return out;  // trailing whitespace was never written
    }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

std::uint32_t Analyzer::analyze(std::string_view text, std::vector<Token>& out,
                                std::uint32_t first_position) {
    return impl_->analyze(text, out, first_position);
}

std::vector<QueryWord> Analyzer::query_words(std::string_view text) {
    return impl_->query_words(text);
}

std::string Analyzer::fold(std::string_view text) {
    return impl_->fold(text);
}

std::string Analyzer::stem(std::string_view folded_word) {
    return impl_->stemmer_(std::string(folded_word));
}

}  // namespace scholarsearch::analysis
