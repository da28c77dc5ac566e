#include "load/legacy.h"

#include <string.h>

#include "load/legacy_contention.h"
#include "load/legacy_count.h"
#include "load/legacy_cpu.h"
#include "load/legacy_heap.h"
#include "load/legacy_java.h"
#include "load/legacy_profile.h"
#include "load/legacy_thread.h"

typedef enum legacy_result (*legacy_parser)(const uint8_t *data, size_t len, struct legacy_profile *lp,
					    struct error *e);

/* pprof's parseLegacy order. */
static const legacy_parser parsers[] = {
	legacy_parse_cpu,
	legacy_parse_heap,
	legacy_parse_count,
	legacy_parse_thread,
	legacy_parse_contention,
	legacy_parse_java,
};

/* pprof's allocRxStr: allocator frames, dropped from heap profiles. */
static const char alloc_frames[] =
	"calloc|cfree|malloc|free|memalign|do_memalign|(__)?posix_memalign|pvalloc|valloc|realloc|"
	"tcmalloc::.*|tc_calloc|tc_cfree|tc_malloc|tc_free|tc_memalign|tc_posix_memalign|tc_pvalloc|"
	"tc_valloc|tc_realloc|tc_new|tc_delete|tc_newarray|tc_deletearray|tc_new_nothrow|"
	"tc_newarray_nothrow|malloc_zone_malloc|malloc_zone_calloc|malloc_zone_valloc|"
	"malloc_zone_realloc|malloc_zone_memalign|malloc_zone_free|runtime\\..*|BaseArena::.*|"
	"(::)?do_malloc_no_errno|(::)?do_malloc_pages|(::)?do_malloc|DoSampledAllocation|"
	"MallocedMemBlock::MallocedMemBlock|_M_allocate|__builtin_(vec_)?delete|"
	"__builtin_(vec_)?new|__gnu_cxx::new_allocator::allocate|__libc_malloc|"
	"__malloc_alloc_template::allocate|allocate|cpp_alloc|operator new(\\[\\])?|"
	"simple_alloc::allocate";

/* pprof's allocSkipRxStr: Go runtime frames kept in the middle of heap stacks. */
static const char alloc_keep_frames[] = "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*";

/* pprof's cpuProfilerRxStr. */
static const char profiler_frames[] =
	"ProfileData::Add|ProfileData::prof_handler|CpuProfiler::prof_handler|__pthread_sighandler|"
	"__restore";

/* pprof's lockRxStr. */
static const char lock_frames[] =
	"RecordLockProfileData|(base::)?RecordLockProfileData.*|(base::)?SubmitMutexProfileData.*|"
	"(base::)?SubmitSpinLockProfileData.*|(base::Mutex::)?AwaitCommon.*|(base::Mutex::)?Unlock.*|"
	"(base::Mutex::)?UnlockSlow.*|(base::Mutex::)?ReaderUnlock.*|(base::MutexLock::)?~MutexLock.*|"
	"(Mutex::)?AwaitCommon.*|(Mutex::)?Unlock.*|(Mutex::)?UnlockSlow.*|(Mutex::)?ReaderUnlock.*|"
	"(MutexLock::)?~MutexLock.*|(SpinLock::)?Unlock.*|(SpinLock::)?SlowUnlock.*|"
	"(SpinLockHolder::)?~SpinLockHolder.*";

/* Whether the sample types are exactly these, in order (pprof's isProfileType). */
static bool types_are(const struct legacy_profile *lp, const char *const *types, size_t n)
{
	if (lp->nsample_types != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(lp->sample_types[i].type, types[i]))
			return false;
	return true;
}

static bool is_heap_profile(const struct legacy_profile *lp)
{
	static const char *const a[] = { "allocations", "size" }, *const b[] = { "objects", "space" },
				 *const c[] = { "inuse_objects", "inuse_space" },
				 *const d[] = { "alloc_objects", "alloc_space" },
				 *const go[] = { "alloc_objects", "alloc_space", "inuse_objects", "inuse_space" };
	return types_are(lp, a, 2) || types_are(lp, b, 2) || types_are(lp, c, 2) || types_are(lp, d, 2) ||
	       types_are(lp, go, 4);
}

/* pprof's addLegacyFrameInfo. */
static void add_frame_info(struct legacy_profile *lp)
{
	static const char *const contention[] = { "contentions", "delay" };
	if (is_heap_profile(lp)) {
		lp->drop_frames = alloc_frames;
		lp->keep_frames = alloc_keep_frames;
	} else if (types_are(lp, contention, 2)) {
		lp->drop_frames = lock_frames;
	} else {
		lp->drop_frames = profiler_frames;
	}
}

int legacy_parse(const uint8_t *data, size_t len, struct profile *p, struct error *e)
{
	for (size_t i = 0; i < sizeof(parsers) / sizeof(*parsers); i++) {
		struct legacy_profile lp;
		legacy_profile_init(&lp);
		enum legacy_result rc = parsers[i](data, len, &lp, e);
		if (rc == LEGACY_PARSED) {
			add_frame_info(&lp);
			legacy_profile_build(&lp, p);
		}
		legacy_profile_free(&lp);
		if (rc == LEGACY_PARSED)
			return 0;
		if (rc == LEGACY_FAILED)
			return -1;
	}
	return error_set(e, "unrecognized profile format");
}
