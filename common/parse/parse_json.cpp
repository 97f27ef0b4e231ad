#include "parse/parse_json.hpp"

#include "record/record_json.hpp"

#include <boost/json/array.hpp>

namespace scholarsearch::parse {

namespace {

std::string base_name(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

boost::json::object parse_result_to_json(const ParseResult& result) {
    boost::json::array records;
    boost::json::array meta;
    for (const auto& record : result.records) {
        records.push_back(record::to_seed_json(record));
        meta.push_back(boost::json::object{{"index", record.source.index},
                                           {"line", record.source.line},
                                           {"id", record::unique_id(record)}});
    }
    boost::json::array errors;
    for (const auto& error : result.errors) {
        boost::json::object item{{"index", error.index}, {"line", error.line}, {"code", error.code}};
        if (error.warning) item["warning"] = true;
        errors.push_back(std::move(item));
    }

    boost::json::object document;
    document["file"] = base_name(result.file);
    document["records"] = std::move(records);
    document["meta"] = std::move(meta);
    document["errors"] = std::move(errors);
    if (result.file_error)
        document["file_error"] = boost::json::object{{"code", result.file_error->code}};
    else
        document["file_error"] = nullptr;
    return document;
}

}  // namespace scholarsearch::parse
