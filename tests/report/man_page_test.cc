// The man page renderer: roff's control characters escaped, options as
// tagged paragraphs, help footers kept line for line in no-fill mode.
#include "ptsim/report/man_page.h"

#include <gtest/gtest.h>

#include <string>

namespace ptsim::report {
namespace {

TEST(RoffEscape, HyphensBackslashesAndLeadingControlCharacters) {
  EXPECT_EQ(roff_escape("--page-size 4K"), "\\-\\-page\\-size 4K");
  EXPECT_EQ(roff_escape("a\\b"), "a\\eb");
  EXPECT_EQ(roff_escape(".text starts"), "\\&.text starts");
  EXPECT_EQ(roff_escape("'quoted'"), "\\&'quoted'");
  EXPECT_EQ(roff_escape("in.the.middle"), "in.the.middle");
  EXPECT_EQ(roff_escape(""), "");
}

ManPage small_page() {
  ManPage page;
  page.program = "ptsim";
  page.version = "ptsim 0.1.0";
  page.summary = "page tables";
  page.top.description = "First line.\n\nSecond paragraph.";
  page.top.options = {{"-h,--help", "Print help"}};
  ManCommand walk;
  walk.name = "walk";
  walk.description = "Walk addresses";
  walk.usage = "ptsim walk [OPTIONS] [va...]";
  walk.options = {{"--page-size TEXT", "4K, 16K or 64K"}, {"--json", "JSON"}};
  walk.footer = "Examples:\n  ptsim walk 0xffff000000200000\n\n.dot line";
  page.commands = {walk};
  page.exit_status = {"0 success", "3 bad input"};
  page.see_also = {"docs/json.md", "docs/errors.md"};
  return page;
}

TEST(ManPageRoff, SectionsInOrder) {
  const std::string roff = man_page_roff(small_page());
  size_t at = 0;
  for (const char* section :
       {".TH PTSIM 1 \"\" \"ptsim 0.1.0\" \"User Commands\"\n", ".SH NAME\n", ".SH SYNOPSIS\n",
        ".SH DESCRIPTION\n", ".SH OPTIONS\n", ".SH COMMANDS\n", ".SS \"ptsim walk\"\n",
        ".SH EXIT STATUS\n", ".SH SEE ALSO\n"}) {
    const size_t next = roff.find(section, at);
    ASSERT_NE(next, std::string::npos) << section << " missing or out of order in\n" << roff;
    at = next;
  }
  EXPECT_NE(roff.find("ptsim \\- page tables\n"), std::string::npos);
}

TEST(ManPageRoff, OptionsAreTaggedParagraphsWithTheValueInItalics) {
  const std::string roff = man_page_roff(small_page());
  EXPECT_NE(roff.find(".TP\n\\fB\\-\\-page\\-size\\fR \\fITEXT\\fR\n4K, 16K or 64K\n"),
            std::string::npos)
      << roff;
  EXPECT_NE(roff.find(".TP\n\\fB\\-\\-json\\fR\nJSON\n"), std::string::npos) << roff;
}

TEST(ManPageRoff, FooterKeptLineForLineAndBlankLinesBecomeSpace) {
  const std::string roff = man_page_roff(small_page());
  EXPECT_NE(roff.find(".nf\nExamples:\n  ptsim walk 0xffff000000200000\n.sp\n\\&.dot line\n.fi\n"),
            std::string::npos)
      << roff;
}

TEST(ManPageRoff, DescriptionParagraphsAndExitStatus) {
  const std::string roff = man_page_roff(small_page());
  EXPECT_NE(roff.find(".SH DESCRIPTION\nFirst line.\n.PP\nSecond paragraph.\n"), std::string::npos)
      << roff;
  EXPECT_NE(roff.find(".TP\n3\nbad input\n"), std::string::npos) << roff;
  EXPECT_NE(roff.find("docs/json.md\n.br\ndocs/errors.md\n"), std::string::npos) << roff;
}

}  // namespace
}  // namespace ptsim::report
