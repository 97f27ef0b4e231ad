// The LaTeX converter: what titles and abstracts from arXiv-like sources read like, and input
// that must never break it.
#include "text/latex.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <string>
#include <utility>
#include <vector>

using scholarsearch::text::has_latex;
using scholarsearch::text::latex_to_unicode;
using scholarsearch::text::readable;

namespace {

bool valid_utf8(const std::string& text) {
    for (std::size_t at = 0; at < text.size();) {
        const auto lead = static_cast<unsigned char>(text[at]);
        const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF5 ? 0 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
        if (length == 0 || at + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(text[at + k]) & 0xC0) != 0x80) return false;
        at += length;
    }
    return true;
}

}  // namespace

TEST_CASE("latex: titles and abstracts read as text") {
    const std::vector<std::pair<std::string, std::string>> rows{
        // the examples of issue 14
        {"e.\\,g.\\ the model", "e. g. the model"},
        {"$\\alpha$-stable processes", "α-stable processes"},
        {"a \\emph{robust} and \\textbf{x} estimator", "a robust and x estimator"},
        {"as shown in~\\cite{smith10, doe}", "as shown in [smith10, doe]"},
        {"improves by 12\\% in $O(n^2)$ time", "improves by 12% in O(n^2) time"},
        {"Fr\\'{e}chet and Schr\\\"odinger, Erd\\H{o}s, Pe\\~na", "Fréchet and Schrödinger, Erdős, Peña"},
        // Greek and math symbols; spaces inside math stay as written
        {"$a \\leq b$, $x \\geq 0$, $A \\times B$, $n \\to \\infty$, $x \\in X$",
         "a ≤ b, x ≥ 0, A × B, n → ∞, x ∈ X"},
        {"$\\Omega(n \\log n)$ and $\\mathcal{O}(\\sqrt{n})$", "Ω(n log n) and O(√n)"},
        {"over $\\mathbb{R}^d$ with $\\frac{1}{2}$ and $\\frac32$ and $\\frac{a+b}{n}$",
         "over ℝ^d with 1/2 and 3/2 and (a+b)/n"},
        {"$H_2O$ and $x_{ij}$ and $10^{-3}$", "H2O and xij and 10^-3"},
        // a script of more than one term keeps its grouping
        {"$2^{m/3 + 1}$ and $x_{i+1}$, $\\mathbb{R}^{2n}$", "2^(m/3 + 1) and x_(i+1), ℝ^2n"},
        // display math may have spaces inside its delimiters; array column letters go
        {"$$ \\begin{array}{cl} a & b \\end{array} $$", "   a & b   "},
        // a tilde after a space means "approximately" in text that was never typeset
        {"AUC ~0.81 with \\emph{Fig.~2}", "AUC ~0.81 with Fig. 2"},
        {"as noted \\eg by \\etal", "as noted e.g. by et al."},
        {"$\\hat{x}$ and $\\bar{y}$, $\\not\\in$, $a\\not= b$", "x̂ and ȳ, ∉, a≠ b"},
        {"$$\\sum_i x_i$$ and \\(y\\) and \\[z\\]", "∑i xi and y and z"},
        {"\\textit{in vivo} \\texttt{code} {\\em old style} {\\bf bold}", "in vivo code old style bold"},
        {"\\textcolor{red}{warm} \\href{http://x.org}{site} \\url{http://x.org/~a_b}", "warm site http://x.org/~a_b"},
        {"\\emph{dashes}: 1--2, a---b; ``quoted'' text", "dashes: 1–2, a—b; “quoted” text"},
        {"$f''(x)$ is the second derivative", "f''(x) is the second derivative"},
        {"see Fig.~\\ref{fig:a} and Eq.~\\eqref{eq:1}\\label{sec}", "see Fig. fig:a and Eq. (eq:1)"},
        {"\\begin{itemize}\\item one \\item two\\end{itemize}", " • one • two "},
        {"$\\left( \\frac{a}{b} \\right)$ and $\\left. x \\right|$", "( a/b ) and  x |"},
        // unknown commands stay as written, with their braced arguments
        {"the $\\foo{x}$ operator and \\unknowncmd here", "the \\foo{x} operator and \\unknowncmd here"},
        // a stray dollar is a price, not math (pandoc's rule), beside real math
        {"costs $5 for $n$ items", "costs $5 for n items"},
    };
    for (const auto& [raw, expected] : rows) {
        INFO(raw);
        CHECK(has_latex(raw));
        CHECK(readable(raw) == expected);
    }
}

TEST_CASE("latex: text without LaTeX markup is returned as it is") {
    for (const std::string& text : std::vector<std::string>{
             "50 V~100 V输入, 22~24号斜拉索",              // Chinese ranges with ~
             "the shear--a danger; f''' + ff'' = 0",   // plain dashes and primes
             "costs $20,000 and $30,000 a year",        // prices: no formula by pandoc's rule
             "T = {x}, a set {1,2}",                     // braces in plain text
             "C:\\Users\\data and a\\b",                  // backslashes that are no command we know
             "trailing backslash \\",
             "",
         }) {
        INFO(text);
        CHECK_FALSE(has_latex(text));
        std::string buffer;
        const std::string_view out = readable(text, buffer);
        CHECK(out == text);
        CHECK(out.data() == text.data());   // no copy
    }
}

TEST_CASE("latex: BibTeX values are LaTeX throughout") {
    // Every `$` switches math, unknown commands vanish, ~ is a tie: what BibTeX itself does.
    CHECK(latex_to_unicode("\\noopsort{a}Zeta and $x$ and \\foo") == "aZeta and x and ");
    CHECK(latex_to_unicode("50~\\% of {BERT}") == "50 % of BERT");
    CHECK(latex_to_unicode("$x^2$ and $H_2O$") == "x^2 and H2O");
    CHECK(latex_to_unicode("trailing \\") == "trailing ");
}

TEST_CASE("latex: malformed input never breaks the converter") {
    SECTION("unbalanced braces, a lone $, a trailing backslash") {
        const std::vector<std::pair<std::string, std::string>> rows{
            {"\\emph{unclosed and $\\alpha$", "unclosed and α"},
            {"closed} twice}} \\alpha", "closed twice α"},
            {"a lone $ sign with \\alpha", "a lone $ sign with α"},
            {"math $\\alpha never closed", "math $α never closed"},
            {"\\alpha and a trailing backslash \\", "α and a trailing backslash \\"},
            {"\\'", "\\'"},
            {"\\frac{1}", "1/"},
            {"\\frac", "/"},
            {"\\sqrt", "√"},
            {"\\cite{unclosed", "[unclosed]"},
            {"\\url{unclosed", "unclosed"},
            {"\\'{}\\~{}\\^{}", "~^"},
        };
        for (const auto& [raw, expected] : rows) {
            INFO(raw);
            CHECK(readable(raw) == expected);
            CHECK(valid_utf8(latex_to_unicode(raw)));
        }
    }
    SECTION("invalid UTF-8 is copied through, never split or extended") {
        for (const std::string& raw : {std::string("\\'\xff x \\alpha"), std::string("\\\"\xe4\xb8 \\alpha"),
                                      std::string("$\\alpha$ \xc0\xaf"), std::string("\\emph{\xed\xa0\x80}\\beta"),
                                      std::string("\\'\xe0\x80\x80 \\'\xf4\x90\x80\x80 \\alpha")}) {
            INFO(raw);
            const std::string out = readable(raw);
            CHECK(out.find('\0') == std::string::npos);   // an overlong sequence is no character
            CHECK((out.find("α") != std::string::npos || out.find("β") != std::string::npos));
            CHECK((out.size() <= raw.size() + 8));
        }
    }
    SECTION("very long and deeply nested input is converted in linear time") {
        const auto started = std::chrono::steady_clock::now();
        std::string nested;
        for (int i = 0; i < 100000; ++i) nested += "\\emph{";
        nested += "x";
        // Past 32 levels the argument is copied as written; the levels above it are converted.
        const std::string deep = readable(nested);
        CHECK(deep.rfind("\\emph{", 0) == 0);
        CHECK(deep.back() == 'x');
        CHECK((deep.size() < nested.size()));
        std::string unclosed;
        for (int i = 0; i < 100000; ++i) unclosed += "\\'{$a ";
        CHECK(valid_utf8(readable(unclosed)));
        CHECK(valid_utf8(latex_to_unicode(unclosed)));
        std::string dollars;
        for (int i = 0; i < 200000; ++i) dollars += "$a \\alpha ";
        CHECK(valid_utf8(readable(dollars)));
        std::string braces(1 << 20, '{');
        braces += "\\alpha";
        CHECK(readable(braces) == "α");
        CHECK((std::chrono::steady_clock::now() - started < std::chrono::seconds(20)));
    }
    SECTION("random markup: valid UTF-8 in, valid UTF-8 out") {
        const std::vector<std::string> pieces{"\\", "{", "}", "$", "$$", "~", "-", "--", "'", "`", "^", "_", "%",
                                              "\\alpha", "\\emph", "\\frac", "\\sqrt", "\\'", "\\\"", "\\v", "\\cite",
                                              "\\url", "\\href", "\\not", "\\mathbb", "\\left", "\\(", "\\)", "\\[",
                                              "\\]", "\\,", " ", "x", "é", "中", "\\i", "[", "]", "\\foo", "\\begin"};
        std::mt19937 random(14);
        for (int round = 0; round < 20000; ++round) {
            std::string raw;
            for (int n = static_cast<int>(random() % 30); n > 0; --n) raw += pieces[random() % pieces.size()];
            INFO(raw);
            REQUIRE(valid_utf8(readable(raw)));
            REQUIRE(valid_utf8(latex_to_unicode(raw)));
        }
    }
}
