/*
 * A fake libnvidia-ml.so.1 for tests and benchmarks on machines without an NVIDIA GPU.
 *
 * It implements the public NVML C ABI (signatures, struct layouts and return codes of nvml.h 13.x, see
 * /work/shared/research/nvml.md) for the calls Trainwatch makes, with values taken from a scenario file, so the
 * real JNA binding is exercised against real native calls.
 *
 * Build:   gcc -shared -fPIC -O2 -Wl,-soname,libnvidia-ml-fake.so.1 -o libnvidia-ml-fake.so.1 fake_nvml.c -lpthread
 *          (a name and soname of its own: JNA caches a library under its bare file name and glibc hands a loaded
 *          library whose soname matches to a later dlopen("libnvidia-ml.so.1"), so a fake named like the real one
 *          would shadow the search for the real driver in that process; it is always loaded by path)
 * Variants (compile flags) drop symbols the way older drivers lack them:
 *   -DFAKE_LEGACY    no _v2/_v3 process calls, no nvmlDeviceGetMemoryInfo_v2, no ClocksEventReasons (only the
 *                    Throttle name), no TotalEnergyConsumption, no MigMode, no nvmlEventSetWait_v2
 *   -DFAKE_NO_INIT_V2  no nvmlInit_v2 (a required symbol)
 *
 * Scenario file: $FAKE_NVML_SCENARIO, else "fake-nvml.scenario" in the directory this library was loaded from
 * (so each copy of the .so in its own directory is its own scenario; JNA and dlopen cache a library per path).
 * It is read at the first successful nvmlInit. Line format, '#' starts a comment:
 *   count N                      number of GPUs (default 1, at most 64)
 *   init_return CODE             what nvmlInit_v2 returns (default 0)
 *   driver_version TEXT          nvmlSystemGetDriverVersion (default 550.54.15)
 *   process_entry_size 16|24|32  bytes per entry that the _v3 process calls write (default 24)
 *   insufficient_size_once 1     the first process call with a buffer answers INSUFFICIENT_SIZE (list grew)
 *   pcie_delay_ms N              each nvmlDeviceGetPcieThroughput blocks N ms (the real call samples 20 ms)
 *   event_wait_max_ms N          longest nvmlEventSetWait blocks when nothing is pending (default 20)
 *   fail FUNCTION CODE [GPU]     FUNCTION returns CODE, for one GPU or all
 *   gpu SEL KEY VALUE            SEL is an index or '*'; keys below
 *   proc GPU compute|graphics PID USED_BYTES
 *   xid GPU XID                  a critical XID event, delivered once the GPU is registered
 * GPU keys: name uuid bus_id util_gpu util_mem mem_total mem_reserved mem_used mem_free temp power_mw
 *   power_limit_mw fan sm_clock mem_clock energy_mj pcie_tx_kbs pcie_rx_kbs enc dec clock_reasons
 *   ecc_uncorrected mig. Numbers accept 0x hex. mem_free defaults to total - reserved - used.
 *
 * Test hooks (not NVML): fake_nvml_calls(name) counts calls per function; fake_nvml_inject_xid(gpu, xid) queues
 * an XID event at run time; fake_nvml_set_fail(name, code, gpu) changes an injected failure at run time (code 0
 * clears it, gpu -1 means all GPUs).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int nvmlReturn_t;

enum {
  NVML_SUCCESS = 0,
  NVML_ERROR_UNINITIALIZED = 1,
  NVML_ERROR_INVALID_ARGUMENT = 2,
  NVML_ERROR_NOT_SUPPORTED = 3,
  NVML_ERROR_NOT_FOUND = 6,
  NVML_ERROR_INSUFFICIENT_SIZE = 7,
  NVML_ERROR_TIMEOUT = 10,
  NVML_ERROR_FUNCTION_NOT_FOUND = 13,
  NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25,
  NVML_ERROR_UNKNOWN = 999
};

#define MAX_GPUS 64
#define MAX_PROCS 256
#define MAX_FAILS 128
#define MAX_XIDS 256
#define XID_EVENT 0x0000000000000008ULL
#define MEMORY_V2_VERSION 0x02000028u
#define TEMPERATURE_V1_VERSION 0x0100000Cu

struct fake_gpu {
  char name[96];
  char uuid[96];
  char bus_id[32];
  unsigned int util_gpu, util_mem, temp, power_mw, power_limit_mw, fan, sm_clock, mem_clock;
  unsigned int pcie_tx_kbs, pcie_rx_kbs, enc, dec, mig;
  unsigned long long mem_total, mem_reserved, mem_used, mem_free, energy_mj, clock_reasons, ecc_uncorrected;
  int mem_free_set;
  int registered; /* for critical XID events */
};
typedef struct fake_gpu *nvmlDevice_t;

struct fake_proc { unsigned int gpu; int graphics; unsigned int pid; unsigned long long used; };
struct fake_fail { char fn[64]; int gpu; nvmlReturn_t code; };
struct fake_xid { unsigned int gpu; unsigned long long xid; int delivered; };
struct fake_event_set { int unused; };
typedef struct fake_event_set *nvmlEventSet_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int init_refs;
static int loaded;
static unsigned int gpu_count = 1;
static struct fake_gpu gpus[MAX_GPUS];
static struct fake_proc procs[MAX_PROCS];
static int proc_count;
static struct fake_fail fails[MAX_FAILS];
static int fail_count;
static struct fake_xid xids[MAX_XIDS];
static int xid_count;
static nvmlReturn_t init_return;
static char driver_version[80] = "550.54.15";
static int process_entry_size = 24;
static int insufficient_size_once;
static unsigned int pcie_delay_ms;
static unsigned int event_wait_max_ms = 20;
static struct fake_event_set the_event_set;

/* ---- call counters (test hook) */

#define MAX_COUNTERS 96
static struct { const char *fn; unsigned long n; } counters[MAX_COUNTERS];

static void count_call(const char *fn) {
  pthread_mutex_lock(&lock);
  for (int i = 0; i < MAX_COUNTERS; i++) {
    if (counters[i].fn == NULL) { counters[i].fn = fn; counters[i].n = 1; break; }
    if (strcmp(counters[i].fn, fn) == 0) { counters[i].n++; break; }
  }
  pthread_mutex_unlock(&lock);
}

unsigned long fake_nvml_calls(const char *fn) {
  unsigned long n = 0;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < MAX_COUNTERS && counters[i].fn; i++) {
    if (strcmp(counters[i].fn, fn) == 0) { n = counters[i].n; break; }
  }
  pthread_mutex_unlock(&lock);
  return n;
}

int fake_nvml_inject_xid(unsigned int gpu, unsigned long long xid) {
  int ok = 0;
  pthread_mutex_lock(&lock);
  if (xid_count < MAX_XIDS) { xids[xid_count++] = (struct fake_xid){gpu, xid, 0}; ok = 1; }
  pthread_mutex_unlock(&lock);
  return ok;
}

int fake_nvml_set_fail(const char *fn, int code, int gpu) {
  int ok = 0;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < fail_count; i++) {
    if (!strcmp(fails[i].fn, fn) && fails[i].gpu == gpu) { fails[i].code = code; ok = 1; break; }
  }
  if (!ok && fail_count < MAX_FAILS) {
    struct fake_fail *x = &fails[fail_count++];
    snprintf(x->fn, sizeof(x->fn), "%.63s", fn);
    x->code = code;
    x->gpu = gpu;
    ok = 1;
  }
  pthread_mutex_unlock(&lock);
  return ok;
}

/* ---- scenario */

static void defaults(void) {
  for (unsigned int i = 0; i < MAX_GPUS; i++) {
    struct fake_gpu *g = &gpus[i];
    memset(g, 0, sizeof(*g));
    snprintf(g->name, sizeof(g->name), "Fake GPU");
    snprintf(g->uuid, sizeof(g->uuid), "GPU-fa6e0000-0000-0000-0000-%012x", i);
    snprintf(g->bus_id, sizeof(g->bus_id), "00000000:%02X:00.0", i + 1);
  }
}

static void set_gpu(struct fake_gpu *g, const char *key, const char *value) {
  unsigned long long v = strtoull(value, NULL, 0);
  if (!strcmp(key, "name")) snprintf(g->name, sizeof(g->name), "%s", value);
  else if (!strcmp(key, "uuid")) snprintf(g->uuid, sizeof(g->uuid), "%s", value);
  else if (!strcmp(key, "bus_id")) snprintf(g->bus_id, sizeof(g->bus_id), "%s", value);
  else if (!strcmp(key, "util_gpu")) g->util_gpu = (unsigned int)v;
  else if (!strcmp(key, "util_mem")) g->util_mem = (unsigned int)v;
  else if (!strcmp(key, "mem_total")) g->mem_total = v;
  else if (!strcmp(key, "mem_reserved")) g->mem_reserved = v;
  else if (!strcmp(key, "mem_used")) g->mem_used = v;
  else if (!strcmp(key, "mem_free")) { g->mem_free = v; g->mem_free_set = 1; }
  else if (!strcmp(key, "temp")) g->temp = (unsigned int)v;
  else if (!strcmp(key, "power_mw")) g->power_mw = (unsigned int)v;
  else if (!strcmp(key, "power_limit_mw")) g->power_limit_mw = (unsigned int)v;
  else if (!strcmp(key, "fan")) g->fan = (unsigned int)v;
  else if (!strcmp(key, "sm_clock")) g->sm_clock = (unsigned int)v;
  else if (!strcmp(key, "mem_clock")) g->mem_clock = (unsigned int)v;
  else if (!strcmp(key, "energy_mj")) g->energy_mj = v;
  else if (!strcmp(key, "pcie_tx_kbs")) g->pcie_tx_kbs = (unsigned int)v;
  else if (!strcmp(key, "pcie_rx_kbs")) g->pcie_rx_kbs = (unsigned int)v;
  else if (!strcmp(key, "enc")) g->enc = (unsigned int)v;
  else if (!strcmp(key, "dec")) g->dec = (unsigned int)v;
  else if (!strcmp(key, "clock_reasons")) g->clock_reasons = v;
  else if (!strcmp(key, "ecc_uncorrected")) g->ecc_uncorrected = v;
  else if (!strcmp(key, "mig")) g->mig = (unsigned int)v;
  else fprintf(stderr, "fake-nvml: unknown gpu key '%s'\n", key);
}

static void scenario_path(char *out, size_t len) {
  const char *env = getenv("FAKE_NVML_SCENARIO");
  if (env && *env) { snprintf(out, len, "%s", env); return; }
  Dl_info info;
  if (dladdr((void *)&scenario_path, &info) && info.dli_fname) {
    snprintf(out, len, "%s", info.dli_fname);
    char *slash = strrchr(out, '/');
    size_t dir = slash ? (size_t)(slash - out + 1) : 0;
    snprintf(out + dir, len - dir, "fake-nvml.scenario");
    return;
  }
  snprintf(out, len, "fake-nvml.scenario");
}

/* Returns 0, or -1 when the file is missing (init then fails, loudly). */
static int load_scenario(void) {
  char path[4096];
  scenario_path(path, sizeof(path));
  FILE *f = fopen(path, "r");
  if (!f) { fprintf(stderr, "fake-nvml: cannot open scenario %s: %s\n", path, strerror(errno)); return -1; }
  defaults();
  char line[1024];
  while (fgets(line, sizeof(line), f)) {
    char *hash = strchr(line, '#');
    if (hash) *hash = 0;
    line[strcspn(line, "\r\n")] = 0;
    char word[64], a[128], b[512];
    int n = sscanf(line, "%63s %127s %511[^\n]", word, a, b);
    if (n <= 0) continue;
    if (!strcmp(word, "count") && n >= 2) {
      gpu_count = (unsigned int)strtoul(a, NULL, 0);
      if (gpu_count > MAX_GPUS) gpu_count = MAX_GPUS;
    } else if (!strcmp(word, "init_return") && n >= 2) init_return = (nvmlReturn_t)strtol(a, NULL, 0);
    else if (!strcmp(word, "driver_version") && n >= 2) snprintf(driver_version, sizeof(driver_version), "%.79s", a);
    else if (!strcmp(word, "process_entry_size") && n >= 2) process_entry_size = atoi(a);
    else if (!strcmp(word, "insufficient_size_once") && n >= 2) insufficient_size_once = atoi(a);
    else if (!strcmp(word, "pcie_delay_ms") && n >= 2) pcie_delay_ms = (unsigned int)atoi(a);
    else if (!strcmp(word, "event_wait_max_ms") && n >= 2) event_wait_max_ms = (unsigned int)atoi(a);
    else if (!strcmp(word, "fail") && n >= 3 && fail_count < MAX_FAILS) {
      struct fake_fail *x = &fails[fail_count++];
      char code[64];
      int gpu = -1;
      int m = sscanf(b, "%63s %d", code, &gpu);
      snprintf(x->fn, sizeof(x->fn), "%.63s", a);
      x->code = (nvmlReturn_t)strtol(code, NULL, 0);
      x->gpu = m >= 2 ? gpu : -1;
    } else if (!strcmp(word, "gpu") && n >= 3) {
      char key[64], value[448];
      value[0] = 0;
      if (sscanf(b, "%63s %447[^\n]", key, value) < 1) continue;
      /* trailing blanks are not part of a value */
      for (size_t l = strlen(value); l > 0 && (value[l - 1] == ' ' || value[l - 1] == '\t'); l--) value[l - 1] = 0;
      if (!strcmp(a, "*")) { for (int i = 0; i < MAX_GPUS; i++) set_gpu(&gpus[i], key, value); }
      else { int i = atoi(a); if (i >= 0 && i < MAX_GPUS) set_gpu(&gpus[i], key, value); }
    } else if (!strcmp(word, "proc") && n >= 3 && proc_count < MAX_PROCS) {
      char type[32], used[64];
      unsigned int pid;
      if (sscanf(b, "%31s %u %63s", type, &pid, used) == 3) {
        procs[proc_count++] = (struct fake_proc){(unsigned int)atoi(a), !strcmp(type, "graphics"), pid,
                                                 strtoull(used, NULL, 0)};
      }
    } else if (!strcmp(word, "xid") && n >= 3 && xid_count < MAX_XIDS) {
      xids[xid_count++] = (struct fake_xid){(unsigned int)atoi(a), strtoull(b, NULL, 0), 0};
    } else {
      fprintf(stderr, "fake-nvml: unknown scenario line '%s'\n", line);
    }
  }
  fclose(f);
  for (unsigned int i = 0; i < MAX_GPUS; i++) {
    struct fake_gpu *g = &gpus[i];
    if (!g->mem_free_set) g->mem_free = g->mem_total - g->mem_reserved - g->mem_used;
  }
  return 0;
}

/* ---- helpers */

static int initialized(void) {
  pthread_mutex_lock(&lock);
  int r = init_refs > 0;
  pthread_mutex_unlock(&lock);
  return r;
}

static int index_of(nvmlDevice_t d) {
  if (d < gpus || d >= gpus + gpu_count) return -1;
  return (int)(d - gpus);
}

static nvmlReturn_t injected(const char *fn, int gpu) {
  nvmlReturn_t r = NVML_SUCCESS;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < fail_count; i++) {
    if (fails[i].code != NVML_SUCCESS && !strcmp(fails[i].fn, fn) && (fails[i].gpu < 0 || fails[i].gpu == gpu)) {
      r = fails[i].code;
      break;
    }
  }
  pthread_mutex_unlock(&lock);
  return r;
}

static void sleep_ms(unsigned int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

/* Common prologue of device calls: counts, checks init and handle, applies an injected failure. */
#define DEVICE_CALL(device)                                   \
  count_call(__func__);                                       \
  if (!initialized()) return NVML_ERROR_UNINITIALIZED;        \
  int gi = index_of(device);                                  \
  if (gi < 0) return NVML_ERROR_INVALID_ARGUMENT;             \
  nvmlReturn_t forced = injected(__func__, gi);               \
  if (forced != NVML_SUCCESS) return forced;                  \
  struct fake_gpu *g = &gpus[gi];                             \
  (void)g

static nvmlReturn_t copy_string(const char *s, char *buf, unsigned int length) {
  if (!buf) return NVML_ERROR_INVALID_ARGUMENT;
  if (strlen(s) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
  memcpy(buf, s, strlen(s) + 1);
  return NVML_SUCCESS;
}

/* ---- init / system */

static nvmlReturn_t do_init(const char *fn) {
  count_call(fn);
  pthread_mutex_lock(&lock);
  if (!loaded) {
    pthread_mutex_unlock(&lock);
    if (load_scenario() != 0) return NVML_ERROR_UNKNOWN;
    pthread_mutex_lock(&lock);
    loaded = 1;
  }
  nvmlReturn_t r = init_return;
  if (r == NVML_SUCCESS) init_refs++;
  pthread_mutex_unlock(&lock);
  return r;
}

#ifndef FAKE_NO_INIT_V2
nvmlReturn_t nvmlInit_v2(void) { return do_init(__func__); }
#endif
nvmlReturn_t nvmlInit(void) { return do_init(__func__); }
nvmlReturn_t nvmlInitWithFlags(unsigned int flags) { (void)flags; return do_init(__func__); }

nvmlReturn_t nvmlShutdown(void) {
  count_call(__func__);
  pthread_mutex_lock(&lock);
  nvmlReturn_t r = init_refs > 0 ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED;
  if (init_refs > 0) init_refs--;
  pthread_mutex_unlock(&lock);
  return r;
}

const char *nvmlErrorString(nvmlReturn_t r) {
  switch (r) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case 6: return "Not Found";
    case 7: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    case 10: return "Timeout";
    case 13: return "Function Not Found";
    case 15: return "GPU is lost";
    case 18: return "RM has detected an NVML/RM version mismatch.";
    case 25: return "Argument version mismatch";
    case 26: return "Requested functionality has been deprecated";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
  count_call(__func__);
  if (!initialized()) return NVML_ERROR_UNINITIALIZED;
  return copy_string(driver_version, version, length);
}

nvmlReturn_t nvmlSystemGetNVMLVersion(char *version, unsigned int length) {
  count_call(__func__);
  if (!initialized()) return NVML_ERROR_UNINITIALIZED;
  char v[96];
  snprintf(v, sizeof(v), "12.%s", driver_version);
  return copy_string(v, version, length);
}

nvmlReturn_t nvmlSystemGetProcessName(unsigned int pid, char *name, unsigned int length) {
  count_call(__func__);
  if (!initialized()) return NVML_ERROR_UNINITIALIZED;
  nvmlReturn_t forced = injected(__func__, -1);
  if (forced) return forced;
  for (int i = 0; i < proc_count; i++) {
    if (procs[i].pid == pid) {
      char n[64];
      snprintf(n, sizeof(n), "fake-process-%u", pid);
      return copy_string(n, name, length);
    }
  }
  return NVML_ERROR_NOT_FOUND;
}

static nvmlReturn_t get_count(const char *fn, unsigned int *count) {
  count_call(fn);
  if (!initialized()) return NVML_ERROR_UNINITIALIZED;
  nvmlReturn_t forced = injected(fn, -1);
  if (forced) return forced;
  if (!count) return NVML_ERROR_INVALID_ARGUMENT;
  *count = gpu_count;
  return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) { return get_count(__func__, count); }
nvmlReturn_t nvmlDeviceGetCount(unsigned int *count) { return get_count(__func__, count); }

static nvmlReturn_t get_handle(const char *fn, unsigned int index, nvmlDevice_t *device) {
  count_call(fn);
  if (!initialized()) return NVML_ERROR_UNINITIALIZED;
  nvmlReturn_t forced = injected(fn, (int)index);
  if (forced) return forced;
  if (index >= gpu_count || !device) return NVML_ERROR_INVALID_ARGUMENT;
  *device = &gpus[index];
  return NVML_SUCCESS;
}
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d) { return get_handle(__func__, i, d); }
nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int i, nvmlDevice_t *d) { return get_handle(__func__, i, d); }

/* ---- identity */

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
  DEVICE_CALL(device);
  return copy_string(g->name, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
  DEVICE_CALL(device);
  return copy_string(g->uuid, uuid, length);
}

/* nvmlPciInfo_t, 68 bytes: busIdLegacy[16], domain, bus, device, pciDeviceId, pciSubSystemId, busId[32] */
typedef struct {
  char busIdLegacy[16];
  unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
} nvmlPciInfo_t;
_Static_assert(sizeof(nvmlPciInfo_t) == 68, "nvmlPciInfo_t is 68 bytes");

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci) {
  DEVICE_CALL(device);
  if (!pci) return NVML_ERROR_INVALID_ARGUMENT;
  memset(pci, 0, sizeof(*pci));
  snprintf(pci->busId, sizeof(pci->busId), "%s", g->bus_id);
  snprintf(pci->busIdLegacy, sizeof(pci->busIdLegacy), "%s", g->bus_id + (strlen(g->bus_id) > 12 ? 4 : 0));
  pci->bus = (unsigned int)gi + 1;
  pci->pciDeviceId = 0x233010DE;
  return NVML_SUCCESS;
}

/* ---- readings */

typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *u) {
  DEVICE_CALL(device);
  if (!u) return NVML_ERROR_INVALID_ARGUMENT;
  u->gpu = g->util_gpu;
  u->memory = g->util_mem;
  return NVML_SUCCESS;
}

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int version; unsigned long long total, reserved, free, used; } nvmlMemory_v2_t;
_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t is 24 bytes");
_Static_assert(sizeof(nvmlMemory_v2_t) == 40, "nvmlMemory_v2_t is 40 bytes");

/* v1 counts reserved memory as used, as the real v1 call does. */
nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *m) {
  DEVICE_CALL(device);
  if (!m) return NVML_ERROR_INVALID_ARGUMENT;
  m->total = g->mem_total;
  m->free = g->mem_free;
  m->used = g->mem_used + g->mem_reserved;
  return NVML_SUCCESS;
}

#ifndef FAKE_LEGACY
/* A wrong version answers FUNCTION_NOT_FOUND, as real 510+ drivers were observed to. */
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t *m) {
  DEVICE_CALL(device);
  if (!m) return NVML_ERROR_INVALID_ARGUMENT;
  if (m->version != MEMORY_V2_VERSION) return NVML_ERROR_FUNCTION_NOT_FOUND;
  m->total = g->mem_total;
  m->reserved = g->mem_reserved;
  m->free = g->mem_free;
  m->used = g->mem_used;
  return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int *temp) {
  DEVICE_CALL(device);
  if (!temp || sensor != 0) return NVML_ERROR_INVALID_ARGUMENT;
  *temp = g->temp;
  return NVML_SUCCESS;
}

typedef struct { unsigned int version; int sensorType; int temperature; } nvmlTemperature_t;

nvmlReturn_t nvmlDeviceGetTemperatureV(nvmlDevice_t device, nvmlTemperature_t *t) {
  DEVICE_CALL(device);
  if (!t) return NVML_ERROR_INVALID_ARGUMENT;
  if (t->version != TEMPERATURE_V1_VERSION) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  t->temperature = (int)g->temp;
  return NVML_SUCCESS;
}

#define UINT_GETTER(fn, field)                                   \
  nvmlReturn_t fn(nvmlDevice_t device, unsigned int *out) {      \
    DEVICE_CALL(device);                                         \
    if (!out) return NVML_ERROR_INVALID_ARGUMENT;                \
    *out = g->field;                                             \
    return NVML_SUCCESS;                                         \
  }

UINT_GETTER(nvmlDeviceGetPowerUsage, power_mw)
UINT_GETTER(nvmlDeviceGetEnforcedPowerLimit, power_limit_mw)
UINT_GETTER(nvmlDeviceGetPowerManagementLimit, power_limit_mw)
UINT_GETTER(nvmlDeviceGetFanSpeed, fan)

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, unsigned int *clock) {
  DEVICE_CALL(device);
  if (!clock) return NVML_ERROR_INVALID_ARGUMENT;
  switch (type) {
    case 0: /* graphics */
    case 1: *clock = g->sm_clock; return NVML_SUCCESS;
    case 2: *clock = g->mem_clock; return NVML_SUCCESS;
    default: return NVML_ERROR_INVALID_ARGUMENT;
  }
}

#ifndef FAKE_LEGACY
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy) {
  DEVICE_CALL(device);
  if (!energy) return NVML_ERROR_INVALID_ARGUMENT;
  *energy = g->energy_mj;
  return NVML_SUCCESS;
}
#endif

/* counter: TX_BYTES = 0, RX_BYTES = 1; value in KB/s */
nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t device, int counter, unsigned int *value) {
  DEVICE_CALL(device);
  if (!value) return NVML_ERROR_INVALID_ARGUMENT;
  if (pcie_delay_ms) sleep_ms(pcie_delay_ms);
  if (counter == 0) *value = g->pcie_tx_kbs;
  else if (counter == 1) *value = g->pcie_rx_kbs;
  else return NVML_ERROR_INVALID_ARGUMENT;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetEncoderUtilization(nvmlDevice_t device, unsigned int *util, unsigned int *period) {
  DEVICE_CALL(device);
  if (!util || !period) return NVML_ERROR_INVALID_ARGUMENT;
  *util = g->enc;
  *period = 167000;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetDecoderUtilization(nvmlDevice_t device, unsigned int *util, unsigned int *period) {
  DEVICE_CALL(device);
  if (!util || !period) return NVML_ERROR_INVALID_ARGUMENT;
  *util = g->dec;
  *period = 167000;
  return NVML_SUCCESS;
}

#ifndef FAKE_LEGACY
nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t device, unsigned long long *reasons) {
  DEVICE_CALL(device);
  if (!reasons) return NVML_ERROR_INVALID_ARGUMENT;
  *reasons = g->clock_reasons;
  return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t device, unsigned long long *reasons) {
  DEVICE_CALL(device);
  if (!reasons) return NVML_ERROR_INVALID_ARGUMENT;
  *reasons = g->clock_reasons;
  return NVML_SUCCESS;
}

/* errorType UNCORRECTED = 1, counterType VOLATILE = 0 */
nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t device, int errorType, int counterType,
                                         unsigned long long *count) {
  DEVICE_CALL(device);
  if (!count) return NVML_ERROR_INVALID_ARGUMENT;
  *count = errorType == 1 && counterType == 0 ? g->ecc_uncorrected : 0;
  return NVML_SUCCESS;
}

#ifndef FAKE_LEGACY
nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *current, unsigned int *pending) {
  DEVICE_CALL(device);
  if (!current || !pending) return NVML_ERROR_INVALID_ARGUMENT;
  *current = g->mig;
  *pending = g->mig;
  return NVML_SUCCESS;
}
#endif

/* ---- processes: entries are written at the stride the caller cannot see (16, 24 or 32 bytes) */

static nvmlReturn_t list_processes(int gi, int graphics, unsigned int *count, unsigned char *infos, int stride) {
  if (!count) return NVML_ERROR_INVALID_ARGUMENT;
  unsigned int n = 0;
  for (int i = 0; i < proc_count; i++) {
    if (procs[i].gpu == (unsigned int)gi && procs[i].graphics == graphics) n++;
  }
  if (n == 0) { *count = 0; return NVML_SUCCESS; }
  if (infos && insufficient_size_once) {
    pthread_mutex_lock(&lock);
    int once = insufficient_size_once;
    insufficient_size_once = 0;
    pthread_mutex_unlock(&lock);
    if (once) { *count = n + 3; return NVML_ERROR_INSUFFICIENT_SIZE; }
  }
  if (!infos || *count < n) { *count = n; return NVML_ERROR_INSUFFICIENT_SIZE; }
  unsigned int w = 0;
  for (int i = 0; i < proc_count; i++) {
    if (procs[i].gpu != (unsigned int)gi || procs[i].graphics != graphics) continue;
    unsigned char *e = infos + (size_t)w * stride;
    unsigned int none = 0xFFFFFFFFu;
    unsigned long long zero = 0;
    memset(e, 0, (size_t)stride);
    memcpy(e + 0, &procs[i].pid, 4);
    memcpy(e + 8, &procs[i].used, 8);
    if (stride >= 24) { memcpy(e + 16, &none, 4); memcpy(e + 20, &none, 4); }
    if (stride >= 32) memcpy(e + 24, &zero, 8);
    w++;
  }
  *count = n;
  return NVML_SUCCESS;
}

#define PROCESS_CALL(fn, graphics, stride)                                              \
  nvmlReturn_t fn(nvmlDevice_t device, unsigned int *count, void *infos) {             \
    DEVICE_CALL(device);                                                               \
    return list_processes(gi, graphics, count, (unsigned char *)infos, stride);        \
  }

PROCESS_CALL(nvmlDeviceGetComputeRunningProcesses, 0, 16)
PROCESS_CALL(nvmlDeviceGetGraphicsRunningProcesses, 1, 16)
#ifndef FAKE_LEGACY
PROCESS_CALL(nvmlDeviceGetComputeRunningProcesses_v2, 0, 24)
PROCESS_CALL(nvmlDeviceGetGraphicsRunningProcesses_v2, 1, 24)
PROCESS_CALL(nvmlDeviceGetComputeRunningProcesses_v3, 0, process_entry_size)
PROCESS_CALL(nvmlDeviceGetGraphicsRunningProcesses_v3, 1, process_entry_size)
#endif

/* ---- events */

/* nvmlEventData_t: device(8) eventType(8) eventData(8) [+ gpuInstanceId(4) computeInstanceId(4) in _v2] */

nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set) {
  count_call(__func__);
  if (!initialized()) return NVML_ERROR_UNINITIALIZED;
  nvmlReturn_t forced = injected(__func__, -1);
  if (forced) return forced;
  if (!set) return NVML_ERROR_INVALID_ARGUMENT;
  *set = &the_event_set;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) {
  count_call(__func__);
  if (set != &the_event_set) return NVML_ERROR_INVALID_ARGUMENT;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetSupportedEventTypes(nvmlDevice_t device, unsigned long long *types) {
  DEVICE_CALL(device);
  if (!types) return NVML_ERROR_INVALID_ARGUMENT;
  *types = 0x1 | 0x2 | 0x4 | XID_EVENT;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t device, unsigned long long types, nvmlEventSet_t set) {
  DEVICE_CALL(device);
  if (set != &the_event_set) return NVML_ERROR_INVALID_ARGUMENT;
  pthread_mutex_lock(&lock);
  if (types & XID_EVENT) g->registered = 1;
  pthread_mutex_unlock(&lock);
  return NVML_SUCCESS;
}

static nvmlReturn_t wait_event(const char *fn, nvmlEventSet_t set, unsigned char *data, unsigned int timeoutms,
                               int with_instance_ids) {
  count_call(fn);
  if (!initialized()) return NVML_ERROR_UNINITIALIZED;
  if (set != &the_event_set || !data) return NVML_ERROR_INVALID_ARGUMENT;
  nvmlReturn_t forced = injected(fn, -1);
  if (forced) return forced;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < xid_count; i++) {
    struct fake_xid *x = &xids[i];
    if (x->delivered || x->gpu >= gpu_count || !gpus[x->gpu].registered) continue;
    x->delivered = 1;
    nvmlDevice_t d = &gpus[x->gpu];
    unsigned long long type = XID_EVENT;
    memcpy(data + 0, &d, 8);
    memcpy(data + 8, &type, 8);
    memcpy(data + 16, &x->xid, 8);
    if (with_instance_ids) memset(data + 24, 0xFF, 8);
    pthread_mutex_unlock(&lock);
    return NVML_SUCCESS;
  }
  pthread_mutex_unlock(&lock);
  sleep_ms(timeoutms < event_wait_max_ms ? timeoutms : event_wait_max_ms);
  return NVML_ERROR_TIMEOUT;
}

#ifndef FAKE_LEGACY
nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, void *data, unsigned int timeoutms) {
  return wait_event(__func__, set, data, timeoutms, 1);
}
#endif
nvmlReturn_t nvmlEventSetWait(nvmlEventSet_t set, void *data, unsigned int timeoutms) {
  return wait_event(__func__, set, data, timeoutms, 0);
}
