#!/usr/bin/env node
/** Executable entry of the stand-in hashicorp/null provider (a TEST DOUBLE; see README.md). */
import { serve } from './server';
import { nullProvider } from './null/resource';

serve(nullProvider);
