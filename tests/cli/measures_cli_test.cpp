// kapctl instruments / score / change, run in-process through kapctl::run.
//
// Score and change cases are tables: each row is a command line with its exact exit status,
// stdout and stderr. Several rows are ones a naive item sum gets wrong (PHQ-9 item 9 alone, PCL-5
// rule vs cut point, C-SSRS skip logic, BDI-II 1a/2b, MEQ30 at exactly 60%, QIDS domain maxima).
#include "command.hpp"

#include <kap/json.hpp>
#include <kap/measures/catalog.hpp>

#include "cli_helpers.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using kapctl::test::lines;
using kapctl::test::outcome;
using kapctl::test::run;
using kapctl::test::slurp;



std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> args;
  while (!line.empty()) {
    const auto space = line.find(' ');
    args.push_back(line.substr(0, space));
    line = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
  }
  return args;
}

/// One command line and everything it must produce.
struct cli_case {
  std::string_view name;  ///< PascalCase, becomes the test name
  std::string_view line;  ///< the arguments, separated by single spaces (none contains a space)
  int status;
  std::string_view out;
  std::string_view err;
};

void PrintTo(const cli_case& c, std::ostream* os) { *os << c.name; }

std::string case_name(const testing::TestParamInfo<cli_case>& info) { return std::string(info.param.name); }

class KapctlMeasures : public testing::TestWithParam<cli_case> {};

TEST_P(KapctlMeasures, ExactOutput) {
  const cli_case& c = GetParam();
  const outcome r = run(split(c.line));
  EXPECT_EQ(r.status, c.status);
  EXPECT_EQ(r.out, c.out);
  EXPECT_EQ(r.err, c.err);
}

// ---------------------------------------------------------------------------------------------
// kapctl score: happy paths

const std::vector<cli_case> score_cases{
    {"Phq9ModerateWithSuicidalIdeation", "score phq9 1 2 1 2 2 1 1 0 1", 0,
     R"({"instrument":"phq9","total":11,"max":27,"band":"moderate","flags":["suicidal_ideation"]})"
     "\n",
     ""},
    {"Phq9Item9AloneRaisesTheFlagWhateverTheTotal", "score phq9 0 0 0 0 0 0 0 0 1", 0,
     R"({"instrument":"phq9","total":1,"max":27,"band":"minimal","flags":["suicidal_ideation"]})"
     "\n",
     ""},
    {"Phq9SevereWithoutFlag", "score phq9 3 3 3 3 3 3 3 3 0", 0,
     R"({"instrument":"phq9","total":24,"max":27,"band":"severe","flags":[]})"
     "\n",
     ""},
    {"Phq9ProratedBlankItem9MakesTheFlagUnknown", "score phq9 1 2 - 2 2 1 1 0 - --prorate", 0,
     R"({"instrument":"phq9","total":12,"max":27,"band":"moderate","flags":[],"unknown_flags":["suicidal_ideation"],"prorated":true,"missing_items":[3,9]})"
     "\n",
     ""},
    {"Pcl5Dsm5RuleMetBelowCutPoint", "score pcl5 2 2 0 0 0 2 0 2 2 0 0 0 0 0 2 2 0 0 0 0", 0,
     R"({"instrument":"pcl5","total":14,"max":80,"flags":[],"subscales":{"B":4,"C":2,"D":4,"E":4},"provisional_dsm5":true,"provisional_cutpoint":false,"cutpoint":33})"
     "\n",
     ""},
    {"Pcl5AtCutPointWithoutDsm5Rule", "score pcl5 2 2 2 2 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 0", 0,
     R"({"instrument":"pcl5","total":33,"max":80,"flags":[],"subscales":{"B":10,"C":4,"D":14,"E":5},"provisional_dsm5":false,"provisional_cutpoint":true,"cutpoint":33})"
     "\n",
     ""},
    {"Pcl5CutPoint31", "score pcl5 2 2 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 0 --cutpoint 31", 0,
     R"({"instrument":"pcl5","total":31,"max":80,"flags":[],"subscales":{"B":10,"C":4,"D":12,"E":5},"provisional_dsm5":false,"provisional_cutpoint":true,"cutpoint":31})"
     "\n",
     ""},
    // Any cut point in 0-80 (issue 20, item 13): an older, higher value, and one below 31.
    {"Pcl5CutPoint44", "score pcl5 2 2 2 2 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 0 --cutpoint 44", 0,
     R"({"instrument":"pcl5","total":33,"max":80,"flags":[],"subscales":{"B":10,"C":4,"D":14,"E":5},"provisional_dsm5":false,"provisional_cutpoint":false,"cutpoint":44})"
     "\n",
     ""},
    {"Pcl5CutPoint28", "score pcl5 2 2 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 0 --cutpoint 28", 0,
     R"({"instrument":"pcl5","total":31,"max":80,"flags":[],"subscales":{"B":10,"C":4,"D":12,"E":5},"provisional_dsm5":false,"provisional_cutpoint":true,"cutpoint":28})"
     "\n",
     ""},
    {"Pcl5Total31BelowDefaultCutPoint", "score pcl5 2 2 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 0", 0,
     R"({"instrument":"pcl5","total":31,"max":80,"flags":[],"subscales":{"B":10,"C":4,"D":12,"E":5},"provisional_dsm5":false,"provisional_cutpoint":false,"cutpoint":33})"
     "\n",
     ""},
    {"CssrsNone", "score cssrs-screen n n - - - n -", 0,
     R"({"instrument":"cssrs-screen","flags":[],"risk":"none"})"
     "\n",
     ""},
    {"CssrsLowWithQ3ToQ5NotAsked", "score cssrs-screen y n - - - n -", 0,
     R"({"instrument":"cssrs-screen","flags":[],"risk":"low"})"
     "\n",
     ""},
    {"CssrsModerateQ6YesButNotWithin3Months", "score cssrs-screen y y n n n y n", 0,
     R"({"instrument":"cssrs-screen","flags":[],"risk":"moderate"})"
     "\n",
     ""},
    {"CssrsHighQ5", "score cssrs-screen y y n n y n -", 0,
     R"({"instrument":"cssrs-screen","flags":[],"risk":"high"})"
     "\n",
     ""},
    {"CssrsHighQ6b", "score cssrs-screen y y n n n y y", 0,
     R"({"instrument":"cssrs-screen","flags":[],"risk":"high"})"
     "\n",
     ""},
    {"Bdi2DirectionTokensScoreTheDigit", "score bdi2 0 1 1 0 2 1 0 1 0 1 0 1 2 0 1 2b 1 1a 1 2 1", 0,
     R"({"instrument":"bdi2","total":19,"max":63,"band":"mild","flags":[]})"
     "\n",
     ""},
    {"Bdi2Item9RaisesTheFlag", "score bdi2 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 3b 0 3a 0 0 0", 0,
     R"({"instrument":"bdi2","total":7,"max":63,"band":"minimal","flags":["suicidal_ideation"]})"
     "\n",
     ""},
    {"EbiMeanAndSum", "score ebi 50 60 70 80 90 100", 0,
     R"({"instrument":"ebi","flags":[],"mean":75,"sum":450})"
     "\n",
     ""},
    {"EbiMeanIsNotRounded", "score ebi 0 0 0 0 0 1", 0,
     R"({"instrument":"ebi","flags":[],"mean":0.16666666666666666,"sum":1})"
     "\n",
     ""},
    {"Meq30ExactlySixtyPercentIsComplete", "score meq30 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3", 0,
     R"({"instrument":"meq30","total":90,"max":150,"flags":[],"subscales":{"ineffability":9,"mystical":45,"positive_mood":18,"transcendence":18},"complete_mystical_experience":true})"
     "\n",
     ""},
    {"Meq30OneSubscaleBelowSixtyPercentIsNotComplete",
     "score meq30 3 3 2 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3", 0,
     R"({"instrument":"meq30","total":89,"max":150,"flags":[],"subscales":{"ineffability":8,"mystical":45,"positive_mood":18,"transcendence":18},"complete_mystical_experience":false})"
     "\n",
     ""},
    {"QidsSumsDomainMaxima", "score qids-sr16 3 0 0 0 1 2 - 0 - 1 1 1 1 1 1 3", 0,
     R"({"instrument":"qids-sr16","total":14,"max":27,"band":"moderate","flags":["suicidal_ideation"]})"
     "\n",
     ""},
    // Suicide-item flags of the clinician scales (issue 20, item 12).
    {"MadrsItem10Flag", "score madrs 1 1 1 1 1 1 1 1 1 2", 0,
     R"({"instrument":"madrs","total":11,"max":60,"band":"mild","flags":["suicidal_ideation"]})"
     "\n",
     ""},
    {"MadrsItem10BelowTheFlag", "score madrs 1 1 1 1 1 1 1 1 1 1", 0,
     R"({"instrument":"madrs","total":10,"max":60,"band":"mild","flags":[]})"
     "\n",
     ""},
    {"Hamd17Item3Flag", "score hamd17 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0", 0,
     R"({"instrument":"hamd17","total":1,"max":52,"band":"none","band_set":"zimmerman2013","flags":["suicidal_ideation"]})"
     "\n",
     ""},
    {"Hamd17CamcopsBandSetAndItem16NotAssessed", "score hamd17 4 4 4 2 2 2 4 4 4 4 4 2 2 2 4 3 2 --band-set camcops", 0,
     R"({"instrument":"hamd17","total":50,"max":52,"band":"very_severe","band_set":"camcops","flags":["suicidal_ideation"]})"
     "\n",
     ""},
};
INSTANTIATE_TEST_SUITE_P(Score, KapctlMeasures, testing::ValuesIn(score_cases), case_name);

// ---------------------------------------------------------------------------------------------
// kapctl score: bad input

const std::vector<cli_case> score_error_cases{
    {"ItemOutOfRange", "score phq9 1 2 1 7 2 1 1 0 1", 1, "", "kapctl score: item 4: 7 is outside 0-3\n"},
    {"NegativeItemIsOutOfRangeNotBlank", "score phq9 1 2 1 -1 2 1 1 0 1", 1, "",
     "kapctl score: item 4: -1 is outside 0-3\n"},
    {"HugeItemIsCutInTheMessage", "score phq9 1 2 1 99999999999999999999 2 1 1 0 1", 1, "",
     "kapctl score: item 4: 9999999999999999... is outside 0-3\n"},
    {"NonNumericItem", "score phq9 1 2 1 x 2 1 1 0 1", 1, "", "kapctl score: item 4: \"x\" is not a number\n"},
    {"TooFewItems", "score phq9 1 2 1", 1, "", "kapctl score: phq9 expects 9 items, got 3\n"},
    {"TooManyItems", "score phq9 1 2 1 2 2 1 1 0 1 0", 1, "", "kapctl score: phq9 expects 9 items, got 10\n"},
    {"NoItems", "score pcl5", 1, "", "kapctl score: pcl5 expects 20 items, got 0\n"},
    {"UnknownInstrument", "score phq10 1", 1, "",
     "kapctl score: unknown instrument \"phq10\" (known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, "
     "cssrs-screen, ebi, meq30)\n"},
    {"BlankItemWithoutProrate", "score phq9 1 2 - 2 2 1 1 0 1", 1, "",
     "kapctl score: item 3: not answered (phq9 may be prorated with up to 2 missing items when prorating is "
     "requested)\n"},
    {"TooManyBlanksToProrate", "score phq9 1 2 - - - 1 1 0 1 --prorate", 1, "",
     "kapctl score: phq9: 3 items not answered; prorating allows at most 2\n"},
    {"NoPublishedProratingRule", "score gad7 1 1 1 1 1 - 1 --prorate", 1, "",
     "kapctl score: item 6: not answered, and gad7 has no published prorating rule\n"},
    {"CssrsAnswerNotYesNo", "score cssrs-screen Y n - - - n -", 1, "",
     "kapctl score: item 1 (Q1): \"Y\" is not y, n or -\n"},
    {"CssrsQ3AnsweredWhenQ2IsNo", "score cssrs-screen y n y - - n -", 1, "",
     "kapctl score: item 3 (Q3): must not be asked when Q2 is no (answer -)\n"},
    {"CssrsQ3MissingWhenQ2IsYes", "score cssrs-screen y y - n n n -", 1, "",
     "kapctl score: item 3 (Q3): an answer is required because Q2 is yes\n"},
    {"CssrsQ6bAnsweredWhenQ6IsNo", "score cssrs-screen y y n n n n y", 1, "",
     "kapctl score: item 7 (Q6b): must not be asked when Q6 is no (answer -)\n"},
    {"CssrsQ1Missing", "score cssrs-screen - n - - - n -", 1, "", "kapctl score: item 1 (Q1): an answer is required\n"},
    {"Bdi2PlainDigitOnDirectionItem", "score bdi2 0 1 1 0 2 1 0 1 0 1 0 1 2 0 1 2 1 1a 1 2 1", 1, "",
     "kapctl score: item 16: \"2\" is not one of 0, 1a, 1b, 2a, 2b, 3a, 3b\n"},
    {"EbiItemOutOfRange", "score ebi 50 60 70 80 90 101", 1, "", "kapctl score: item 6: 101 is outside 0-100\n"},
    {"Pcl5CutPointOutsideTheTotalsRange", "score pcl5 2 2 2 2 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 0 --cutpoint 81", 1, "",
     "kapctl score: pcl5 cut point 81 is outside 0-80\n"},
    {"CutPointNotAnInteger", "score pcl5 2 2 2 2 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 0 --cutpoint 32.5", 1, "",
     "kapctl score: --cutpoint: \"32.5\" is not an integer\n"},
    {"UnknownBandSet", "score hamd17 4 4 4 2 2 2 4 4 4 4 4 2 2 2 4 3 2 --band-set nope", 1, "",
     "kapctl score: hamd17 has no band set \"nope\" (zimmerman2013, camcops)\n"},
    {"CutPointOnAnotherInstrumentIsAUsageError", "score phq9 1 2 1 2 2 1 1 0 1 --cutpoint 31", 2, "",
     "kapctl score: --cutpoint applies only to pcl5\nRun 'kapctl score --help' for usage.\n"},
    {"NoInstrument", "score", 2, "",
     "kapctl score: give an instrument and its item answers\nRun 'kapctl score --help' for usage.\n"},
    {"UnknownOption", "score phq9 --bogus", 2, "",
     "kapctl score: unknown option --bogus\nRun 'kapctl score --help' for usage.\n"},
    {"OptionWithoutValue", "score pcl5 --cutpoint", 2, "",
     "kapctl score: --cutpoint needs a value\nRun 'kapctl score --help' for usage.\n"},
};
INSTANTIATE_TEST_SUITE_P(ScoreErrors, KapctlMeasures, testing::ValuesIn(score_error_cases), case_name);

// ---------------------------------------------------------------------------------------------
// kapctl change

const std::vector<cli_case> change_cases{
    {"Phq9RecoveredWithReliableChange", "change phq9 --baseline 18 --current 6", 0,
     R"({"instrument":"phq9","baseline":18,"current":6,"change":-12,"percent_change":-66.66666666666667,"response":true,"response_percent":50,"remission":false,"remission_rule":"lt5","remission_max":4,"mcid":5,"mcid_met":true,"sd":5.5,"reliability":0.84,"sdiff":3.1112698372208096,"rci":-3.8569460791993495,"reliable":true,"reliable_change_min":6.098088880952787,"cutoff":10,"clinically_significant":true,"category":"recovered"})"
     "\n",
     ""},
    {"Phq9McidMetButNotReliable", "change phq9 --baseline 18 --current 12", 0,
     R"({"instrument":"phq9","baseline":18,"current":12,"change":-6,"percent_change":-33.333333333333336,"response":false,"response_percent":50,"remission":false,"remission_rule":"lt5","remission_max":4,"mcid":5,"mcid_met":true,"sd":5.5,"reliability":0.84,"sdiff":3.1112698372208096,"rci":-1.9284730395996748,"reliable":false,"reliable_change_min":6.098088880952787,"cutoff":10,"clinically_significant":false,"category":"unchanged"})"
     "\n",
     ""},
    {"Phq9Deteriorated", "change phq9 --baseline 12 --current 20", 0,
     R"({"instrument":"phq9","baseline":12,"current":20,"change":8,"percent_change":66.66666666666667,"response":false,"response_percent":50,"remission":false,"remission_rule":"lt5","remission_max":4,"mcid":5,"mcid_met":false,"sd":5.5,"reliability":0.84,"sdiff":3.1112698372208096,"rci":2.5712973861329,"reliable":true,"reliable_change_min":6.098088880952787,"cutoff":10,"clinically_significant":false,"category":"deteriorated"})"
     "\n",
     ""},
    {"Phq9SdReliabilityAndResponseOverridden",
     "change phq9 --baseline 18 --current 6 --sd 6 --reliability 0.9 --response-percent 60", 0,
     R"({"instrument":"phq9","baseline":18,"current":6,"change":-12,"percent_change":-66.66666666666667,"response":true,"response_percent":60,"remission":false,"remission_rule":"lt5","remission_max":4,"mcid":5,"mcid_met":true,"sd":6,"reliability":0.9,"sdiff":2.6832815729997472,"rci":-4.4721359549995805,"reliable":true,"reliable_change_min":5.259231883079504,"cutoff":10,"clinically_significant":true,"category":"recovered"})"
     "\n",
     ""},
    {"Phq9BaselineZeroHasNoPercentChange", "change phq9 --baseline 0 --current 0", 0,
     R"({"instrument":"phq9","baseline":0,"current":0,"change":0,"response":false,"response_percent":50,"remission":true,"remission_rule":"lt5","remission_max":4,"mcid":5,"mcid_met":false,"sd":5.5,"reliability":0.84,"sdiff":3.1112698372208096,"rci":0,"reliable":false,"reliable_change_min":6.098088880952787,"cutoff":10,"clinically_significant":false,"category":"unchanged"})"
     "\n",
     ""},
    {"MadrsDefaultRemissionLe12", "change madrs --baseline 30 --current 11", 0,
     R"({"instrument":"madrs","baseline":30,"current":11,"change":-19,"percent_change":-63.333333333333336,"response":true,"response_percent":50,"remission":true,"remission_rule":"le12","remission_max":12,"cutoff":13,"clinically_significant":true})"
     "\n",
     ""},
    {"MadrsRemissionRuleLe10", "change madrs --baseline 30 --current 11 --remission le10", 0,
     R"({"instrument":"madrs","baseline":30,"current":11,"change":-19,"percent_change":-63.333333333333336,"response":true,"response_percent":50,"remission":false,"remission_rule":"le10","remission_max":10,"cutoff":11,"clinically_significant":false})"
     "\n",
     ""},
    // An explicit threshold from the command line (issue 20, item 13): MADRS < 10 is at most 9.
    {"MadrsRemissionAtMost9", "change madrs --baseline 30 --current 9 --remission-at-most 9", 0,
     R"({"instrument":"madrs","baseline":30,"current":9,"change":-21,"percent_change":-70,"response":true,"response_percent":50,"remission":true,"remission_rule":"custom","remission_max":9,"cutoff":10,"clinically_significant":true})"
     "\n",
     ""},
    {"MadrsRemissionAtMost9NotMet", "change madrs --baseline 30 --current 10 --remission-at-most 9", 0,
     R"({"instrument":"madrs","baseline":30,"current":10,"change":-20,"percent_change":-66.66666666666667,"response":true,"response_percent":50,"remission":false,"remission_rule":"custom","remission_max":9,"cutoff":10,"clinically_significant":false})"
     "\n",
     ""},
    {"MadrsRemissionAtMostTheTop", "change madrs --baseline 60 --current 60 --remission-at-most 60", 0,
     R"({"instrument":"madrs","baseline":60,"current":60,"change":0,"percent_change":0,"response":false,"response_percent":50,"remission":true,"remission_rule":"custom","remission_max":60,"cutoff":61,"clinically_significant":false})"
     "\n",
     ""},
    {"Bdi2SdEnablesTheRci", "change bdi2 --baseline 30 --current 10 --sd 9", 0,
     R"({"instrument":"bdi2","baseline":30,"current":10,"change":-20,"percent_change":-66.66666666666667,"response":true,"response_percent":50,"remission":true,"remission_rule":"le13","remission_max":13,"mcid":3.5,"mcid_met":true,"sd":9,"reliability":0.93,"sdiff":3.367491648096546,"rci":-5.939138709164989,"reliable":true,"reliable_change_min":6.60028363026923,"cutoff":14,"clinically_significant":true,"category":"recovered"})"
     "\n",
     ""},
    {"CadssChangeOnly", "change cadss --baseline 20 --current 5", 0,
     R"({"instrument":"cadss","baseline":20,"current":5,"change":-15,"percent_change":-75})"
     "\n",
     ""},
};
INSTANTIATE_TEST_SUITE_P(Change, KapctlMeasures, testing::ValuesIn(change_cases), case_name);

const std::vector<cli_case> change_error_cases{
    {"BaselineNotAnInteger", "change phq9 --baseline x --current 2", 1, "",
     "kapctl change: --baseline: \"x\" is not an integer\n"},
    {"BaselineFractional", "change phq9 --baseline 12.5 --current 2", 1, "",
     "kapctl change: --baseline: \"12.5\" is not an integer\n"},
    {"EveryBadNumberIsReported", "change phq9 --baseline 99999999999 --current x", 1, "",
     "kapctl change: --baseline: \"99999999999\" is out of range\nkapctl change: --current: \"x\" is not an integer\n"},
    {"BaselineOutOfRange", "change phq9 --baseline 30 --current 2", 1, "",
     "kapctl change: baseline: 30 is outside 0-27\n"},
    {"CurrentNegative", "change phq9 --baseline 18 --current -1", 1, "",
     "kapctl change: current: -1 is outside 0-27\n"},
    {"SdZero", "change phq9 --baseline 18 --current 6 --sd 0", 1, "",
     "kapctl change: sd 0 must be finite and greater than 0\n"},
    {"SdNotANumber", "change phq9 --baseline 18 --current 6 --sd abc", 1, "",
     "kapctl change: --sd: \"abc\" is not a finite number\n"},
    {"SdInfinite", "change phq9 --baseline 18 --current 6 --sd inf", 1, "",
     "kapctl change: --sd: \"inf\" is not a finite number\n"},
    {"SdTooSmallForAFiniteRci", "change phq9 --baseline 20 --current 5 --sd 1e-310", 1, "",
     "kapctl change: sd 1e-310 with reliability 0.84 gives a reliable change index of -inf; it must be finite\n"},
    {"SdTooLargeForAFiniteReliableChange", "change phq9 --baseline 20 --current 5 --sd 1e308 --reliability 0", 1, "",
     "kapctl change: sd 1e+308 with reliability 0 gives a smallest reliable change of inf; it must be finite\n"},
    {"ReliabilityOne", "change phq9 --baseline 18 --current 6 --reliability 1", 1, "",
     "kapctl change: reliability 1 is outside [0, 1)\n"},
    {"ReliabilityNegative", "change phq9 --baseline 18 --current 6 --reliability -0.1", 1, "",
     "kapctl change: reliability -0.1 is outside [0, 1)\n"},
    {"ResponsePercentZero", "change phq9 --baseline 18 --current 6 --response-percent 0", 1, "",
     "kapctl change: response threshold 0% is outside 1-100\n"},
    {"ResponsePercentFractional", "change phq9 --baseline 18 --current 6 --response-percent 5.5", 1, "",
     "kapctl change: --response-percent: \"5.5\" is not an integer\n"},
    // --remission-at-most is checked against the instrument's total range: a usage error.
    {"RemissionAtMostAboveTheRange", "change madrs --baseline 30 --current 9 --remission-at-most 61", 1, "",
     "kapctl change: --remission-at-most: 61 is outside madrs's total range 0-60\n"},
    {"RemissionAtMostNegative", "change phq9 --baseline 18 --current 6 --remission-at-most -1", 1, "",
     "kapctl change: --remission-at-most: -1 is outside phq9's total range 0-27\n"},
    {"RemissionAtMostNotAnInteger", "change madrs --baseline 30 --current 9 --remission-at-most 9.5", 1, "",
     "kapctl change: --remission-at-most: \"9.5\" is not an integer\n"},
    {"RemissionAtMostWithARule", "change madrs --baseline 30 --current 9 --remission le10 --remission-at-most 9", 2,
     "",
     "kapctl change: give --remission or --remission-at-most, not both\n"
     "Run 'kapctl change --help' for usage.\n"},
    {"RemissionAtMostOnANonSymptomScale", "change cadss --baseline 30 --current 9 --remission-at-most 9", 1, "",
     "kapctl change: --remission-at-most applies only to symptom scales; cadss is not one\n"},
    {"UnknownRemissionRule", "change phq9 --baseline 18 --current 6 --remission le10", 1, "",
     "kapctl change: phq9 has no remission rule \"le10\" (lt5)\n"},
    {"NoIntegerTotal", "change ebi --baseline 18 --current 6", 1, "",
     "kapctl change: ebi has no integer total, so change analytics are not defined for it\n"},
    {"UnknownInstrument", "change phq10 --baseline 18 --current 6", 1, "",
     "kapctl change: unknown instrument \"phq10\" (known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, "
     "cssrs-screen, ebi, meq30)\n"},
    {"MissingCurrent", "change phq9 --baseline 18", 2, "",
     "kapctl change: --baseline and --current are required\nRun 'kapctl change --help' for usage.\n"},
    {"MissingBaseline", "change phq9 --current 6", 2, "",
     "kapctl change: --baseline and --current are required\nRun 'kapctl change --help' for usage.\n"},
    {"NoInstrument", "change --baseline 1 --current 2", 2, "",
     "kapctl change: give an instrument\nRun 'kapctl change --help' for usage.\n"},
    {"TwoInstruments", "change phq9 gad7 --baseline 1 --current 2", 2, "",
     "kapctl change: unexpected argument gad7\nRun 'kapctl change --help' for usage.\n"},
    {"UnknownOption", "change phq9 --baseline 18 --current 6 --bogus 1", 2, "",
     "kapctl change: unknown option --bogus\nRun 'kapctl change --help' for usage.\n"},
    {"OptionWithoutValue", "change phq9 --baseline 18 --current 6 --sd", 2, "",
     "kapctl change: --sd needs a value\nRun 'kapctl change --help' for usage.\n"},
};
INSTANTIATE_TEST_SUITE_P(ChangeErrors, KapctlMeasures, testing::ValuesIn(change_error_cases), case_name);

// ---------------------------------------------------------------------------------------------
// kapctl instruments

TEST(KapctlInstruments, TableListsEveryInstrument) {
  const outcome r = run({"instruments"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "");
  std::istringstream lines(r.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header,
            "ID            ITEMS                                     SCORE       BY           LICENCE                              NAME");
  for (const auto& d : kap::measures::catalog()) {
    EXPECT_NE(r.out.find("\n" + d.id + " "), std::string::npos) << d.id;
    EXPECT_NE(r.out.find(d.name + "\n"), std::string::npos) << d.id;
  }
  EXPECT_NE(r.out.find("\nphq9          9 x 0-3                                   0-27        self-report  free     "), std::string::npos);
  // HAM-D17: the scored ranges, then item 16's not-assessed code; no item is scored 0-3 (issue
  // 20, item 11).
  EXPECT_NE(r.out.find("\nhamd17        17 x 0-2/0-4 (item 16: 3 = not assessed)  0-52        clinician    public_domain"),
            std::string::npos);
  EXPECT_EQ(r.out.find("0-2/0-3/0-4"), std::string::npos);
  EXPECT_NE(r.out.find("\ncssrs-screen  7 x y/n/-                                 risk level  clinician    licence_required"),
            std::string::npos);
  EXPECT_NE(r.out.find("\nebi           6 x 0-100                                 mean 0-100  self-report  unverified"),
            std::string::npos);
}

TEST(KapctlInstruments, JsonIsTheCatalogue) {
  const outcome r = run({"instruments", "--json"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, kap::json::to_string(kap::measures::catalog()) + "\n");
  EXPECT_EQ(r.out.rfind(R"([{"id":"phq9","name":"Patient Health Questionnaire-9",)", 0), 0U);
  auto back = kap::json::from_string<std::vector<kap::measures::instrument>>(r.out);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, kap::measures::catalog());
}

TEST(KapctlInstruments, UsageErrors) {
  const outcome extra = run({"instruments", "phq9"});
  EXPECT_EQ(extra.status, 2);
  EXPECT_EQ(extra.out, "");
  EXPECT_EQ(extra.err, "kapctl instruments: unexpected argument phq9\nRun 'kapctl instruments --help' for usage.\n");
  const outcome unknown = run({"instruments", "--yaml"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_EQ(unknown.err, "kapctl instruments: unknown option --yaml\nRun 'kapctl instruments --help' for usage.\n");
}

TEST(KapctlMeasuresHelp, EachCommandHasUsage) {
  for (const std::string_view name : {"instruments", "score", "change"}) {
    const outcome r = run({name, "--help"});
    EXPECT_EQ(r.status, 0) << name;
    EXPECT_EQ(r.out.rfind("Usage: kapctl " + std::string(name), 0), 0U) << r.out;
    EXPECT_EQ(r.err, "");
  }
}

TEST(KapctlMeasuresHelp, ScoreHelpExampleIsWhatScorePrints) {
  const outcome help = run(split("score --help"));
  const outcome r = run(split("score phq9 1 2 1 2 2 1 1 0 1"));
  ASSERT_EQ(r.status, 0);
  EXPECT_NE(help.out.find("  kapctl score phq9 1 2 1 2 2 1 1 0 1\n  " + r.out), std::string::npos) << help.out;
}

}  // namespace
