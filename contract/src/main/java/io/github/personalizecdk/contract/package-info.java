/**
 * The contract between the constructs that render custom resources and the handler that serves them:
 * resource types, property names, attribute names and Personalize's name rules, declared once.
 */
package io.github.personalizecdk.contract;
