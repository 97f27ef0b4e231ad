#include "parse/ris.hpp"

#include <catch2/catch.hpp>

using namespace scholarsearch;
using namespace scholarsearch::parse;
