/** Custom-resource handler for Personalize dataset import and export jobs. */
package io.github.personalizecdk.handler;
