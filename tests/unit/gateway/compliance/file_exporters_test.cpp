// JSONL and XML file exporters: content, fsync'ed appends, rotation by size and age without
// overwriting, crash recovery, XML escaping checked with a real parser (expat).
#include "gateway/core/compliance/exporters/file_exporters.hpp"

#include <expat.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "gateway/core/compliance/exporters/xml_writer.hpp"
#include "tests/unit/gateway/compliance/compliance_test_util.hpp"
#include "tests/unit/gateway/storage/storage_test_util.hpp"

namespace parley::core::compliance {
namespace {

namespace fs = std::filesystem;
using compliance_testing::make_event;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

class FileExporterTest : public ::testing::Test {
 protected:
  ExporterConfig config(ExporterType type) const {
    ExporterConfig c;
    c.name = "files";
    c.type = type;
    c.directory = dir_.path() / "out";
    c.file_prefix = "audit";
    c.rotate_bytes = 0;
    c.rotate_age = std::chrono::seconds(0);
    return c;
  }
  ComplianceClock clock() {
    return [this] { return now_; };
  }
  // Every event of the JSONL files in `paths`, in order.
  static std::vector<api::ComplianceEvent> jsonl_events(const std::vector<fs::path>& paths) {
    std::vector<api::ComplianceEvent> out;
    for (const auto& path : paths) {
      std::istringstream lines(read_file(path));
      std::string line;
      while (std::getline(lines, line)) {
        auto event = event_from_json(line);
        EXPECT_TRUE(event) << path << ": " << line;
        if (event) out.push_back(std::move(event).value());
      }
    }
    return out;
  }

  storage::testing::TempDir dir_;
  model::Timestamp now_ = from_micros(1'714'564'800'000'000);
};

TEST_F(FileExporterTest, JsonlWritesOneEventPerLine) {
  JsonlExporter exporter(config(ExporterType::jsonl), clock());
  std::vector<api::ComplianceEvent> events{make_event(1), make_event(2), make_event(3)};
  events[1].content = "two\nlines";
  ASSERT_TRUE(exporter.export_batch({events.data(), 2}).ok);
  ASSERT_TRUE(exporter.export_batch({events.data() + 2, 1}).ok);
  const auto path = dir_.path() / "out" / "audit.jsonl";
  EXPECT_EQ(files_in(dir_.path() / "out"), std::vector<fs::path>{path});
  EXPECT_EQ(jsonl_events({path}), events);
  const auto text = read_file(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
}

TEST_F(FileExporterTest, JsonlRotatesBySizeWithoutLosingOrOverwriting) {
  auto c = config(ExporterType::jsonl);
  c.rotate_bytes = 1500;  // a few events per file
  JsonlExporter exporter(c, clock());
  std::vector<api::ComplianceEvent> events;
  for (int i = 0; i < 20; ++i) {
    events.push_back(make_event(i));
    ASSERT_TRUE(exporter.export_batch({&events.back(), 1}).ok);  // same clock: same stamp
  }
  auto files = files_in(dir_.path() / "out");
  ASSERT_GT(files.size(), 3u);
  EXPECT_EQ(exporter.file().rotations(), files.size() - 1);
  // Rotated names: the stamp and a sequence number; the active file sorts last.
  const std::regex rotated(R"(audit-20240501T120000Z-0000\d\d\.jsonl)");
  for (std::size_t i = 0; i + 1 < files.size(); ++i) {
    EXPECT_TRUE(std::regex_match(files[i].filename().string(), rotated)) << files[i];
    EXPECT_LE(fs::file_size(files[i]), 1500u);
  }
  EXPECT_EQ(files.back().filename(), "audit.jsonl");
  EXPECT_EQ(jsonl_events(files), events);
}

TEST_F(FileExporterTest, JsonlRotatesByAge) {
  auto c = config(ExporterType::jsonl);
  c.rotate_age = std::chrono::seconds(60);
  JsonlExporter exporter(c, clock());
  const std::vector<api::ComplianceEvent> events{make_event(1), make_event(2), make_event(3)};
  ASSERT_TRUE(exporter.export_batch({events.data(), 1}).ok);
  now_ += std::chrono::seconds(59);
  ASSERT_TRUE(exporter.export_batch({events.data() + 1, 1}).ok);
  EXPECT_EQ(exporter.file().rotations(), 0u);
  now_ += std::chrono::seconds(1);
  ASSERT_TRUE(exporter.export_batch({events.data() + 2, 1}).ok);
  EXPECT_EQ(exporter.file().rotations(), 1u);
  const auto files = files_in(dir_.path() / "out");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "audit-20240501T120100Z-000001.jsonl");
  EXPECT_EQ(jsonl_events({files[0]}), (std::vector<api::ComplianceEvent>{events[0], events[1]}));
  EXPECT_EQ(jsonl_events({files[1]}), (std::vector<api::ComplianceEvent>{events[2]}));
}

TEST_F(FileExporterTest, RestartCutsAPartialLineAndRotatesTheOldFile) {
  const auto first = make_event(1);
  {
    JsonlExporter exporter(config(ExporterType::jsonl), clock());
    ASSERT_TRUE(exporter.export_batch({&first, 1}).ok);
  }
  {  // a crash in the middle of the next write
    std::ofstream out(dir_.path() / "out" / "audit.jsonl", std::ios::app | std::ios::binary);
    out << R"({"v":1,"id":"half)";
  }
  // A rotated file with the name the recovery would pick first already exists: kept intact.
  std::ofstream(dir_.path() / "out" / "audit-20240501T120000Z-000001.jsonl") << "keep\n";
  JsonlExporter exporter(config(ExporterType::jsonl), clock());
  const auto second = make_event(2);
  ASSERT_TRUE(exporter.export_batch({&second, 1}).ok);
  const auto files = files_in(dir_.path() / "out");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(read_file(files[0]), "keep\n");
  EXPECT_EQ(files[1].filename(), "audit-20240501T120000Z-000002.jsonl");
  EXPECT_EQ(jsonl_events({files[1]}), std::vector<api::ComplianceEvent>{first});
  EXPECT_EQ(jsonl_events({files[2]}), std::vector<api::ComplianceEvent>{second});
}

TEST_F(FileExporterTest, FailsWhenTheDirectoryCannotBeCreated) {
  std::ofstream(dir_.path() / "out") << "a file where the directory should be";
  JsonlExporter exporter(config(ExporterType::jsonl), clock());
  const auto event = make_event(1);
  const auto result = exporter.export_batch({&event, 1});
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("out"), std::string::npos) << result.error;
}

// --- XML -------------------------------------------------------------------------------------

struct ParsedEvent {
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::string> texts;  // child element -> text
  std::map<std::string, std::string> encodings;
};

struct XmlDoc {
  bool well_formed = false;
  std::string root;
  std::vector<ParsedEvent> events;
};

// Parses with expat; collects <event> attributes and the text of their children.
XmlDoc parse_xml(const std::string& text) {
  struct State {
    XmlDoc doc;
    int depth = 0;
    std::string child;
  } state;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        auto& s = *static_cast<State*>(data);
        ++s.depth;
        if (s.depth == 1) s.doc.root = name;
        if (s.depth == 2) {
          s.doc.events.emplace_back();
          for (int i = 0; attrs[i] != nullptr; i += 2) {
            s.doc.events.back().attributes[attrs[i]] = attrs[i + 1];
          }
        }
        if (s.depth == 3) {
          s.child = name;
          for (int i = 0; attrs[i] != nullptr; i += 2) {
            if (std::string(attrs[i]) == "encoding")
              s.doc.events.back().encodings[name] = attrs[i + 1];
            if (std::string(attrs[i]) == "account")
              s.doc.events.back().texts["account"] = attrs[i + 1];
          }
          s.doc.events.back().texts[s.child];
        }
      },
      [](void* data, const XML_Char*) {
        auto& s = *static_cast<State*>(data);
        if (s.depth == 3) s.child.clear();
        --s.depth;
      });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* chars, int length) {
    auto& s = *static_cast<State*>(data);
    if (s.depth == 3 && !s.child.empty()) s.doc.events.back().texts[s.child].append(chars, length);
  });
  state.doc.well_formed =
      XML_Parse(parser, text.data(), static_cast<int>(text.size()), 1) == XML_STATUS_OK;
  XML_ParserFree(parser);
  return state.doc;
}

TEST(XmlWriter, EscapesEverythingSpecial) {
  XmlWriter xml;
  xml.start("a");
  xml.attribute("q", "\"<&>'\n\t");
  xml.text("]]> <tag> & \r\n");
  xml.end();
  EXPECT_EQ(xml.take(),
            "<a q=\"&quot;&lt;&amp;&gt;&apos;&#xA;&#x9;\">]]&gt; &lt;tag&gt; &amp; &#xD;&#xA;</a>");
  EXPECT_TRUE(is_xml_text("plain \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_xml_text(std::string("nul \0", 5)));
  EXPECT_FALSE(is_xml_text("bell \x07"));
  EXPECT_FALSE(is_xml_text("overlong \xC0\xAF"));
  EXPECT_FALSE(is_xml_text("surrogate \xED\xA0\x80"));
  EXPECT_FALSE(is_xml_text("cut \xE2\x82"));
  EXPECT_EQ(xml_sanitize("a\x01z"), "a\xEF\xBF\xBDz");
}

TEST_F(FileExporterTest, XmlFilesAreWellFormedDocumentsWithEscapedText) {
  auto c = config(ExporterType::xml);
  c.rotate_age = std::chrono::seconds(10);
  XmlExporter exporter(c, clock());
  auto hostile = make_event(1);
  hostile.content = "<script>alert(\"x\" & 'y')</script>\n]]>";
  hostile.room = "r&d";
  auto binary = make_event(2);
  binary.content = std::string("bell\x07 nul\0 end", 14);
  ASSERT_TRUE(exporter.export_batch({&hostile, 1}).ok);
  ASSERT_TRUE(exporter.export_batch({&binary, 1}).ok);
  // The active file is a document still open; rotating it closes the root.
  EXPECT_FALSE(parse_xml(read_file(exporter.file().active_path())).well_formed);
  now_ += std::chrono::seconds(10);
  const auto third = make_event(3);
  ASSERT_TRUE(exporter.export_batch({&third, 1}).ok);

  const auto files = files_in(dir_.path() / "out");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "audit-20240501T120010Z-000001.xml");
  const auto text = read_file(files[0]);
  const auto doc = parse_xml(text);
  ASSERT_TRUE(doc.well_formed) << text;
  EXPECT_EQ(doc.root, "compliance-events");
  ASSERT_EQ(doc.events.size(), 2u);
  EXPECT_EQ(doc.events[0].attributes.at("id"), hostile.id);
  EXPECT_EQ(doc.events[0].attributes.at("kind"), "room.role");
  EXPECT_EQ(doc.events[0].attributes.at("time"), rfc3339(hostile.time));
  EXPECT_EQ(doc.events[0].texts.at("content"), hostile.content);
  EXPECT_EQ(doc.events[0].texts.at("room"), "r&d");
  EXPECT_EQ(doc.events[0].texts.at("account"), "alice@example.com");
  // Not representable in XML: base64, marked, lossless.
  EXPECT_EQ(doc.events[1].encodings.at("content"), "base64");
  EXPECT_EQ(doc.events[1].texts.at("content"), "YmVsbAcgbnVsACBlbmQ=");
  // One event per line between the prolog/root lines and the end tag.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);
}

TEST_F(FileExporterTest, XmlRestartClosesTheOldDocument) {
  const auto first = make_event(1);
  {
    XmlExporter exporter(config(ExporterType::xml), clock());
    ASSERT_TRUE(exporter.export_batch({&first, 1}).ok);
  }
  XmlExporter exporter(config(ExporterType::xml), clock());
  const auto second = make_event(2);
  ASSERT_TRUE(exporter.export_batch({&second, 1}).ok);
  const auto files = files_in(dir_.path() / "out");
  ASSERT_EQ(files.size(), 2u);
  const auto doc = parse_xml(read_file(files[0]));
  ASSERT_TRUE(doc.well_formed);
  ASSERT_EQ(doc.events.size(), 1u);
  EXPECT_EQ(doc.events[0].attributes.at("id"), first.id);
}

}  // namespace
}  // namespace parley::core::compliance
