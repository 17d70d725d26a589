// SPDX-License-Identifier: GPL-2.0
/* Batch files: splitting lines into words, comments, line numbers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"
#include "parse.h"

static FILE *errf;
static char *errbuf;
static size_t errlen;

static void err_reset(void)
{
	if (errf)
		fclose(errf);
	free(errbuf);
	errbuf = NULL;
	errf = open_memstream(&errbuf, &errlen);
	parse_set_errfile(errf);
}

static const char *err_text(void)
{
	fflush(errf);
	return errbuf ? errbuf : "";
}

/* The words of argv joined by '|', to compare in one go. */
static const char *joined(int argc, char **argv)
{
	static char buf[1024];
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc && len < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? "|" : "", argv[i]);
	return buf;
}

static const struct {
	const char *name;
	const char *line;
	const char *words;	/* joined by '|' */
} split_cases[] = {
	{ "one word", "show\n", "show" },
	{ "no newline at the end", "show 42", "show|42" },
	{ "runs of blanks", "  add\t42 \t remote   192.0.2.2  \n",
	  "add|42|remote|192.0.2.2" },
	{ "CRLF line end", "del 42\r\n", "del|42" },
	{ "vertical tab and form feed are blanks", "del\v42\f\n", "del|42" },
	{ "empty line", "\n", "" },
	{ "blank line", " \t \r\n", "" },
	{ "comment line", "# add 42 remote 192.0.2.2\n", "" },
	{ "indented comment", "   # note\n", "" },
	{ "comment after the words", "del 42 # old one\n", "del|42" },
	{ "comment glued to a blank-led word", "del 42 #x y\n", "del|42" },
	{ "'#' inside a word is kept", "set dev a#b ttl 9\n",
	  "set|dev|a#b|ttl|9" },
	{ "no quoting: quotes are plain characters", "show dev \"vw0\"\n",
	  "show|dev|\"vw0\"" },
	{ "leading --json", "--json show\n", "--json|show" },
};

static void test_split(void)
{
	char line[256], *argv[BATCH_MAX_WORDS + 1];
	size_t i;
	int argc;

	for (i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		ktap_begin("batch line: %s", split_cases[i].name);
		err_reset();
		strcpy(line, split_cases[i].line);
		CHECK(parse_batch_line(line, strlen(line), &argc, argv,
				       BATCH_MAX_WORDS));
		CHECK_STR(joined(argc, argv), split_cases[i].words);
		CHECK(argv[argc] == NULL);
		CHECK_STR(err_text(), "");
		ktap_end();
	}

	ktap_begin("batch line: a NUL byte inside is refused");
	err_reset();
	memcpy(line, "del 4\0002\n", 8);
	CHECK(!parse_batch_line(line, 7, &argc, argv, BATCH_MAX_WORDS));
	CHECK_STR(err_text(), "vwctl: invalid line: it holds a NUL byte\n");
	ktap_end();

	ktap_begin("batch line: at most max words, the first extra quoted");
	err_reset();
	strcpy(line, "a b c d");
	CHECK(parse_batch_line(line, strlen(line), &argc, argv, 4));
	CHECK(argc == 4);
	strcpy(line, "a b c d excessive f");
	CHECK(!parse_batch_line(line, strlen(line), &argc, argv, 4));
	CHECK_STR(err_text(),
		  "vwctl: too many words: 'excessive' is word 5, at most 4\n");
	ktap_end();

	ktap_begin("batch line: a long extra word is cut in the message");
	err_reset();
	memset(line, 'x', 100);
	strcpy(line, "a ");
	memset(line + 2, 'x', 100);
	line[102] = '\0';
	CHECK(!parse_batch_line(line, strlen(line), &argc, argv, 1));
	CHECK_STR(err_text(), "vwctl: too many words: "
		  "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' is word 2, at most 1\n");
	ktap_end();
}

/* The commands of text, as "LINE:words" separated by ' ', and the end. */
static int read_all(const char *text, size_t len, char *out, size_t size)
{
	FILE *f = fmemopen((void *)text, len, "r");
	struct batch b;
	size_t n = 0;
	int ret;

	out[0] = '\0';
	batch_init(&b, f);
	while ((ret = batch_next(&b)) == BATCH_CMD)
		if (n < size)
			n += snprintf(out + n, size - n, "%s%lu:%.40s",
				      n ? " " : "", b.lineno,
				      joined(b.argc, b.argv));
	if (ret == BATCH_BAD && n < size)
		snprintf(out + n, size - n, "%sBAD@%lu", n ? " " : "",
			 b.lineno);
	batch_free(&b);
	fclose(f);
	return ret;
}

static void test_reader(void)
{
	static const char file[] =
		"# create two connectors\n"
		"\n"
		"add 1 remote 192.0.2.1\n"
		"   \n"
		"add 2 remote 192.0.2.2 # the second\n"
		"#show\n"
		"show --json\n";
	char out[1024], *big;
	int i;

	ktap_begin("batch file: comments and blank lines skipped, lines counted");
	err_reset();
	CHECK(read_all(file, strlen(file), out, sizeof(out)) == BATCH_END);
	CHECK_STR(out, "3:add|1|remote|192.0.2.1 5:add|2|remote|192.0.2.2 "
		  "7:show|--json");
	CHECK_STR(err_text(), "");
	ktap_end();

	ktap_begin("batch file: empty, and comments only");
	CHECK(read_all("", 0, out, sizeof(out)) == BATCH_END);
	CHECK_STR(out, "");
	CHECK(read_all("#a\n\n#b", 6, out, sizeof(out)) == BATCH_END);
	CHECK_STR(out, "");
	ktap_end();

	ktap_begin("batch file: the last line without a newline");
	CHECK(read_all("del 1\ndel 2", 11, out, sizeof(out)) == BATCH_END);
	CHECK_STR(out, "1:del|1 2:del|2");
	ktap_end();

	ktap_begin("batch file: a bad line stops reading, with its number");
	err_reset();
	CHECK(read_all("del 1\n\ndel\0002\ndel 3\n", 19, out, sizeof(out)) ==
	      BATCH_BAD);
	CHECK_STR(out, "1:del|1 BAD@3");
	CHECK_STR(err_text(), "vwctl: invalid line: it holds a NUL byte\n");
	ktap_end();

	ktap_begin("batch file: a line longer than any buffer");
	big = malloc(200000);
	strcpy(big, "show dev ");
	for (i = 9; i < 199990; i++)
		big[i] = 'v';
	strcpy(big + 199990, "\ndel 7\n");
	CHECK(read_all(big, strlen(big), out, sizeof(out)) == BATCH_END);
	CHECK(!strncmp(out, "1:show|dev|vvvv", 15));
	CHECK(strstr(out, " 2:del|7"));
	free(big);
	ktap_end();

	ktap_begin("batch file: a read error is not the end");
	{
		FILE *f = fopen("/", "r");
		struct batch b;

		if (!f) {
			ktap_skip("cannot open / as a file");
		} else {
			batch_init(&b, f);
			CHECK(batch_next(&b) == BATCH_READ_ERROR);
			CHECK(errno == EISDIR);
			batch_free(&b);
			fclose(f);
		}
	}
	ktap_end();
}

static void test_monitor_args(void)
{
	struct vw_opts opts = { 0 };
	char *json[] = { "--json", NULL }, *j[] = { "-j", NULL };
	char *bad[] = { "42", NULL }, *bad2[] = { "--json", "dev", NULL };

	ktap_begin("monitor: no arguments, or --json");
	err_reset();
	CHECK(parse_monitor(0, json, &opts) && !opts.json);
	CHECK(parse_monitor(1, json, &opts) && opts.json);
	opts.json = false;
	CHECK(parse_monitor(1, j, &opts) && opts.json);
	CHECK_STR(err_text(), "");
	ktap_end();

	ktap_begin("monitor: -t, --timestamp, -p and --pretty");
	{
		char *t[] = { "-t", "-p", NULL };
		char *t2[] = { "--timestamp", "--pretty", NULL };
		struct vw_opts o = { 0 };

		CHECK(parse_monitor(2, t, &o) && o.timestamp && o.json &&
		      o.pretty);
		memset(&o, 0, sizeof(o));
		CHECK(parse_monitor(2, t2, &o) && o.timestamp && o.json &&
		      o.pretty);
		memset(&o, 0, sizeof(o));
		CHECK(parse_monitor(1, json, &o) && !o.timestamp && !o.pretty);
	}
	ktap_end();

	ktap_begin("monitor: anything else is refused, quoted");
	err_reset();
	CHECK(!parse_monitor(1, bad, &opts));
	CHECK_STR(err_text(),
		  "vwctl: monitor: unexpected argument '42': monitor takes only --json, --pretty and -t\n");
	err_reset();
	CHECK(!parse_monitor(2, bad2, &opts));
	CHECK_STR(err_text(),
		  "vwctl: monitor: unexpected argument 'dev': monitor takes only --json, --pretty and -t\n");
	ktap_end();
}

void test_batch(void)
{
	test_split();
	test_reader();
	test_monitor_args();

	parse_set_errfile(NULL);
	fclose(errf);
	free(errbuf);
	errf = NULL;
	errbuf = NULL;
}
