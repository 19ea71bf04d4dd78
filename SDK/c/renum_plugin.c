#include "renum_plugin.h"
