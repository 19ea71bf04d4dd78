#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
// Binding with it makes SQLite copy the buffer before the bind call returns.
static inline sqlite3_destructor_type renum_sqlite_transient(void) { return SQLITE_TRANSIENT; }
