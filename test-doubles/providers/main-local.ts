#!/usr/bin/env node
/** Executable entry of the stand-in hashicorp/local provider (a TEST DOUBLE; see README.md). */
import { serve } from './server';
import { localProvider } from './local/file';

serve(localProvider);
