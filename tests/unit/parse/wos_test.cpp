#include "parse/wos.hpp"

#include <catch2/catch.hpp>

using namespace scholarsearch;
using namespace scholarsearch::parse;
