/*
 * cpprof - a fast, standalone reimplementation of `go tool pprof`.
 * Pipeline: load -> symbolize -> filter -> aggregate -> report/render.
 */
#include "cli/run.h"

int main(int argc, char **argv)
{
	return cli_run(argc, argv);
}
