#include "parse/line_source.hpp"

#include "text/utf8.hpp"

#include <cstdio>
#include <cstring>

namespace scholarsearch::parse {

namespace {

constexpr std::size_t block_bytes = std::size_t(1) << 16;
constexpr std::string_view bom = "\xEF\xBB\xBF";

}  // namespace

std::string megabytes(std::uint64_t bytes) {
    const double value = static_cast<double>(bytes) / double(1 << 20);
    char text[32];
    if (bytes % (1 << 20) == 0) std::snprintf(text, sizeof text, "%.0f MB", value);
    else std::snprintf(text, sizeof text, "%.1f MB", value);
    return text;
}

LineSource::LineSource(ReadFn read, std::string initial, LineOptions options)
    : read_(std::move(read)), options_(options), owned_(std::move(initial)), data_(owned_) {}

LineSource::LineSource(std::string_view text, LineOptions options)
    : options_(options), data_(text), at_end_(true) {}

bool LineSource::refill() {
    if (!read_ || at_end_) {
        at_end_ = true;
        return false;
    }
    if (pos_ > 0) {
        owned_.erase(0, pos_);
        consumed_ += pos_;
        scanned_ -= pos_;
        pos_ = 0;
    }
    const std::size_t old_size = owned_.size();
    owned_.resize(old_size + block_bytes);
    const std::size_t got = read_(owned_.data() + old_size, block_bytes);
    owned_.resize(old_size + got);
    data_ = owned_;
    if (got == 0) at_end_ = true;
    return got > 0;
}

void LineSource::start_long_line() {
    long_line_ = true;
    long_offset_ = consumed_ + pos_;
    long_bytes_ = 0;
    prefix_.clear();
    carry_.clear();
    long_bad_byte_.reset();
    long_bad_is_nul_ = false;
}

// Moves data_[pos_, to) of a long line out of the buffer: the first bytes are kept, and with
// check_utf8 the rest is validated piece by piece (a sequence cut by a read waits in carry_).
void LineSource::absorb(std::size_t to) {
    const std::string_view piece = data_.substr(pos_, to - pos_);
    if (prefix_.size() < options_.kept_prefix)
        prefix_.append(piece.substr(0, options_.kept_prefix - prefix_.size()));
    const std::uint64_t piece_offset = consumed_ + pos_;
    if (options_.check_utf8 && !long_bad_byte_) {
        std::size_t start = 0;
        if (!carry_.empty()) {
            const std::size_t need = text::lead_length(static_cast<unsigned char>(carry_[0]));
            while (carry_.size() < need && start < piece.size()) carry_ += piece[start++];
            if (carry_.size() == need) {
                if (auto problem = text::find_encoding_problem(carry_)) {
                    long_bad_byte_ = carry_offset_ + problem->offset;
                    long_bad_is_nul_ = problem->nul;
                }
                carry_.clear();
            }
        }
        if (!long_bad_byte_ && carry_.empty()) {
            const std::string_view rest = piece.substr(start);
            const std::size_t cut = text::incomplete_tail(rest);
            if (auto problem = text::find_encoding_problem(rest.substr(0, cut))) {
                long_bad_byte_ = piece_offset + start + problem->offset;
                long_bad_is_nul_ = problem->nul;
            } else {
                carry_.assign(rest.substr(cut));
                carry_offset_ = piece_offset + start + cut;
            }
        }
    }
    long_bytes_ += piece.size();
    pos_ = to;
    if (scanned_ < pos_) scanned_ = pos_;
}

SourceLine LineSource::make_line(std::size_t end, std::size_t after) {
    SourceLine line;
    line.number = ++number_;
    if (!long_line_ && end - pos_ > options_.max_line) start_long_line();
    if (long_line_) {
        absorb(end);
        if (options_.check_utf8 && !long_bad_byte_ && !carry_.empty()) long_bad_byte_ = carry_offset_;
        carry_.clear();
        if (const std::size_t cut = text::incomplete_tail(prefix_); cut < prefix_.size()) prefix_.erase(cut);
        line.text = prefix_;
        line.offset = long_offset_;
        line.bytes = long_bytes_;
        line.truncated = true;
        line.bad_byte = long_bad_byte_;
        line.bad_byte_is_nul = long_bad_is_nul_;
        long_line_ = false;
    } else {
        line.text = data_.substr(pos_, end - pos_);
        line.offset = consumed_ + pos_;
        line.bytes = end - pos_;
        if (options_.check_utf8)
            if (auto problem = text::find_encoding_problem(line.text)) {
                line.bad_byte = line.offset + problem->offset;
                line.bad_byte_is_nul = problem->nul;
            }
    }
    pos_ = after;
    scanned_ = pos_;
    return line;
}

std::optional<SourceLine> LineSource::next() {
    for (;;) {
        std::size_t end = std::string_view::npos;
        if (options_.cr_ends_line) {
            for (std::size_t i = scanned_; i < data_.size(); ++i)
                if (data_[i] == '\n' || data_[i] == '\r') {
                    end = i;
                    break;
                }
        } else if (scanned_ < data_.size()) {
            const void* found = std::memchr(data_.data() + scanned_, '\n', data_.size() - scanned_);
            if (found) end = static_cast<std::size_t>(static_cast<const char*>(found) - data_.data());
        }
        if (end != std::string_view::npos) {
            if (data_[end] != '\r') return make_line(end, end + 1);
            // "\r\n" is one line end, also with U+FEFF between the two (FORMAT.md §3 deletes
            // U+FEFF before splitting lines); deciding may need bytes not read yet.
            std::size_t after = end + 1;
            bool need_more = false;
            for (std::size_t k = end + 1;;) {
                if (k == data_.size()) {
                    need_more = !at_end_;
                    break;
                }
                if (data_[k] == '\n') {
                    after = k + 1;
                    break;
                }
                if (data_.compare(k, bom.size(), bom) == 0) {
                    k += bom.size();
                    continue;
                }
                need_more = !at_end_ && data_.size() - k < bom.size() &&
                            bom.substr(0, data_.size() - k) == data_.substr(k);
                break;
            }
            if (!need_more) return make_line(end, after);
            if (long_line_) absorb(end);
            scanned_ = end;
            refill();
            continue;
        }
        scanned_ = data_.size();
        if (at_end_) {
            if (pos_ == data_.size() && !long_line_) return std::nullopt;
            return make_line(data_.size(), data_.size());
        }
        if (!long_line_ && data_.size() - pos_ > options_.max_line) start_long_line();
        if (long_line_) absorb(data_.size());
        refill();
    }
}

}  // namespace scholarsearch::parse
